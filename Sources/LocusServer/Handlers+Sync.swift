// The sync endpoint of a PoP on the same port as the client API: a peer's identity request
// and its pulls of the change feed, signed with the fabric secret when one is set.

import Locus
import LocusValues

extension APIService {
    func requireReplicator() throws -> Replicator {
        guard let replicator else {
            throw LocusError(.httpNotFound, "/_api/sync: this server is not a PoP of a fabric")
        }
        return replicator
    }

    func syncIdentity(_ r: APIRequest) throws -> APIResponse {
        APIResponse(status: 200, body: Array(try requireReplicator().identity().json.utf8))
    }

    func syncPull(_ r: APIRequest) throws -> APIResponse {
        let request = try PullRequest(json: String(decoding: r.body, as: UTF8.self))
        return APIResponse(status: 200, body: Array(try requireReplicator().serve(request).json.utf8))
    }
}
