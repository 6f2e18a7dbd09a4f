-- wrk script: POST /v1/sync/push with batches of 100 save_job mutations, each with a fresh mutation id,
-- so every mutation is applied (not answered as a duplicate).
-- Usage: wrk -s server/bench/push.lua http://127.0.0.1:PORT -- <listing id> <device token>
local threads = {}

function setup(thread)
    thread:set("tid", #threads + 1)
    table.insert(threads, thread)
end

function init(args)
    listing = args[1]
    token = args[2]
    counter = 0
end

function request()
    local parts = {}
    for i = 1, 100 do
        counter = counter + 1
        parts[i] = string.format(
            '{"id":"%08x-0000-4000-8000-%012x","op":"save_job","listing_id":"%s"}', tid, counter, listing)
    end
    local body = '{"mutations":[' .. table.concat(parts, ",") .. ']}'
    return wrk.format("POST", "/v1/sync/push",
        { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end
