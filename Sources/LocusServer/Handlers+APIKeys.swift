// Macrometa's API key routes (`/_api/key`): any user creates, lists and removes its own keys;
// users with write access to `_system` manage everyone's.

import Locus
import LocusValues

extension APIService {
    /// True when the caller may manage keys of `owner`.
    private func mayManageKeys(of owner: String, _ r: APIRequest) throws -> Bool {
        try owner == r.user || auth.level(r.user, in: "_system") >= .rw
    }

    /// `POST /_api/key {keyid, user?}`: the key is in the answer, and only there.
    func createAPIKey(_ r: APIRequest) throws -> APIResponse {
        let body = try r.jsonObject()
        guard let keyid = body["keyid"]?.stringValue else {
            throw LocusError(.badParameter, "expecting {\"keyid\": ...}")
        }
        let owner = body["user"]?.stringValue ?? r.user
        guard try mayManageKeys(of: owner, r) else { throw LocusError(.forbidden, "") }
        guard try auth.user(owner) != nil || !auth.enabled else { throw LocusError(.userNotFound) }
        let key = try auth.keys.create(keyid: keyid, user: owner, now: APIService.now())
        return APIResponse.ok(
            201, ["keyid": .string(keyid), "key": .string(key), "user": .string(owner), "tenant": .string(auth.tenant)])
    }

    func listAPIKeys(_ r: APIRequest) throws -> APIResponse {
        let all = try auth.keys.all()
        let visible = try all.filter { try mayManageKeys(of: $0.user, r) }
        return APIResponse.result(200, .array(visible.map(\.publicJSON)))
    }

    func getAPIKey(_ r: APIRequest) throws -> APIResponse {
        guard let k = try auth.keys.record(r.parameter(0)), try mayManageKeys(of: k.user, r) else {
            throw LocusError(code: .httpNotFound, message: "API key '\(r.parameter(0))' not found")
        }
        var o = k.publicJSON.objectValue ?? Object()
        o["error"] = false
        o["code"] = 200
        return APIResponse.json(200, .object(o))
    }

    func deleteAPIKey(_ r: APIRequest) throws -> APIResponse {
        guard let k = try auth.keys.record(r.parameter(0)), try mayManageKeys(of: k.user, r) else {
            throw LocusError(code: .httpNotFound, message: "API key '\(r.parameter(0))' not found")
        }
        try auth.keys.remove(k.keyid)
        return APIResponse.ok(202, ["keyid": .string(k.keyid)])
    }
}
