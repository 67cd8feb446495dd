-- GET one document by key, keys spread over the 100,000 imported.
math.randomseed(os.time())
request = function()
    return wrk.format("GET", "/_api/document/docs/k" .. math.random(0, 99999))
end
