//! Opening the SQLite file: pragmas and versioned migrations.
