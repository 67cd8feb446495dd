-- A cursor whose query returns one row, by a bind value.
local docs = tonumber(os.getenv("LOCUS_BENCH_DOCS") or "100000")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
    local body = '{"query":"FOR d IN docs FILTER d._key == @k RETURN d.n","bindVars":{"k":"k' .. math.random(0, docs - 1) .. '"}}'
    return wrk.format("POST", "/_api/cursor", nil, body)
end
