-- GET /_api/version: the cost of HTTP, authentication and the hop to a worker, with no database work.
request = function()
    return wrk.format("GET", "/_api/version")
end
