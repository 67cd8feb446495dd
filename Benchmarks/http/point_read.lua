-- GET one document by key, keys spread over the imported ones (LOCUS_BENCH_DOCS).
local docs = tonumber(os.getenv("LOCUS_BENCH_DOCS") or "100000")
request = function()
    return wrk.format("GET", "/_api/document/docs/k" .. math.random(0, docs - 1))
end
