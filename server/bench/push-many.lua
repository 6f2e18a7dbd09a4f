-- wrk script: POST /v1/sync/push with batches of 100 save_job mutations from many devices (one
-- device per request in turn), each mutation with a fresh id, so every one is applied: a device
-- is held to 1,000 mutations a day, and one device's pushes are serialized by design.
-- Usage: wrk -s server/bench/push-many.lua http://127.0.0.1:PORT -- <listing id> <token,token,…>
local threads = {}

function setup(thread)
    thread:set("tid", #threads + 1)
    table.insert(threads, thread)
end

function init(args)
    listing = args[1]
    tokens = {}
    for t in string.gmatch(args[2], "[^,]+") do
        table.insert(tokens, t)
    end
    counter = 0
    batches = 0
end

function request()
    local parts = {}
    for i = 1, 100 do
        counter = counter + 1
        parts[i] = string.format(
            '{"id":"%08x-0000-4000-8000-%012x","op":"save_job","listing_id":"%s"}', tid, counter, listing)
    end
    batches = batches + 1
    local token = tokens[(batches * 7 + tid) % #tokens + 1]
    local body = '{"mutations":[' .. table.concat(parts, ",") .. ']}'
    return wrk.format("POST", "/v1/sync/push",
        { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end
