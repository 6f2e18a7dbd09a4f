use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::codes::coded_enum;

coded_enum! {
    /// Kyrgyzstan's seven regions (oblasts) and its two cities of republican significance.
    /// `Abroad` marks a building outside the country, the only case where coordinates may lie outside it.
    pub enum Region as "region" {
        Bishkek => "bishkek",
        OshCity => "osh_city",
        Chuy => "chuy",
        Osh => "osh",
        JalalAbad => "jalal_abad",
        IssykKul => "issyk_kul",
        Naryn => "naryn",
        Talas => "talas",
        Batken => "batken",
        Abroad => "abroad",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Address {
    #[cfg_attr(feature = "utoipa", schema(min_length = 1, max_length = 300))]
    pub street: String,
    #[cfg_attr(feature = "utoipa", schema(min_length = 1, max_length = 100))]
    pub city: String,
    /// The city's administrative district (Bishkek's Leninsky, Oktyabrsky, Pervomaisky, Sverdlovsky
    /// districts), when known: each has its own office that answers accessibility reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "utoipa", schema(min_length = 1, max_length = 100))]
    pub district: Option<String>,
    pub region: Region,
}

/// WGS84 degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct GeoPoint {
    #[cfg_attr(feature = "utoipa", schema(minimum = -90, maximum = 90))]
    pub lat: f64,
    #[cfg_attr(feature = "utoipa", schema(minimum = -180, maximum = 180))]
    pub lon: f64,
}

impl GeoPoint {
    pub fn new(lat: f64, lon: f64) -> Self {
        GeoPoint { lat, lon }
    }

    /// Great-circle distance in kilometres (haversine; plenty precise at city scale).
    pub fn distance_km(self, other: GeoPoint) -> f64 {
        const EARTH_RADIUS_KM: f64 = 6371.0088;
        let (lat1, lat2) = (self.lat.to_radians(), other.lat.to_radians());
        let dlat = lat2 - lat1;
        let dlon = (other.lon - self.lon).to_radians();
        let a = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Building {
    pub id: Uuid,
    #[cfg_attr(feature = "utoipa", schema(min_length = 1, max_length = 200))]
    pub name: String,
    pub address: Address,
    pub location: GeoPoint,
    /// OpenStreetMap element, e.g. `way/123456`, so facts can be exchanged with OSM and Wheelmap.
    #[cfg_attr(feature = "utoipa", schema(pattern = "^(node|way|relation)/[0-9]+$"))]
    pub osm_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::GeoPoint;

    #[test]
    fn distance_bishkek_to_osh_is_about_300_km() {
        let bishkek = GeoPoint::new(42.8746, 74.5698);
        let osh = GeoPoint::new(40.5283, 72.7985);
        let d = bishkek.distance_km(osh);
        assert!((295.0..305.0).contains(&d), "{d}");
        assert_eq!(bishkek.distance_km(bishkek), 0.0);
    }
}
