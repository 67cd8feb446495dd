// Snowball stemming through libstemmer, one stemmer per language shared by every analyzer.
// libstemmer's stemmers keep their state between calls, so each is used under a lock; the
// library is loaded on first use (see CStemmer's header).

import CStemmer
import Synchronization

/// Stems words with the Snowball algorithm of a language.
final class Stemmer: @unchecked Sendable {
    /// libstemmer's functions: written once when the library loads, only read afterwards.
    private final class Library: @unchecked Sendable {
        static let shared = Library()
        let api: locus_stemmer_api?
        private init() {
            var api = locus_stemmer_api()
            self.api = locus_stemmer_load(&api) == 0 ? api : nil
        }
    }

    private static let byLanguage = Mutex<[String: Stemmer?]>([:])

    /// The libstemmer stemmer, used only while holding `lock` (it keeps state between calls).
    private let handle: OpaquePointer
    private let api: locus_stemmer_api
    private let lock = Mutex(())

    private init(handle: OpaquePointer, api: locus_stemmer_api) {
        self.handle = handle
        self.api = api
    }

    /// The stemmer of a language (an ISO 639-1 code such as `en`), or nil when Snowball has
    /// none or the library is missing: ArangoDB then leaves words as they are.
    static func forLanguage(_ language: String) -> Stemmer? {
        byLanguage.withLock { known in
            if let stemmer = known[language] { return stemmer }
            var made: Stemmer?
            if let api = Library.shared.api, let create = api.create, let handle = create(language, "UTF_8") {
                made = Stemmer(handle: handle, api: api)
            }
            known[language] = made
            return made
        }
    }

    /// Whether libstemmer could be loaded.
    static var isAvailable: Bool { Library.shared.api != nil }

    func stem(_ word: String) -> String {
        guard let stem = api.stem, let length = api.length, !word.isEmpty else { return word }
        let bytes = Array(word.utf8)
        return lock.withLock { _ in
            guard let out = stem(handle, bytes, Int32(bytes.count)) else { return word }
            return String(decoding: UnsafeBufferPointer(start: out, count: Int(length(handle))), as: UTF8.self)
        }
    }
}
