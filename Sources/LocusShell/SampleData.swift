// `.sample`: a small dataset for a first session, touching every model at once: city
// documents with a geo index, a road network as a named graph, and key-value settings with an
// expiring entry. Loading it is one transaction per step and refuses to overwrite anything.

import Locus

enum SampleData {
    static let summary = """
        loaded cities, roads (the graph europe) and settings (key-value). Try:
          FOR c IN cities SORT c.population DESC LIMIT 3 RETURN c.name
          FOR v, e IN 1..2 OUTBOUND "cities/berlin" GRAPH europe RETURN [v.name, e.km]
          FOR v IN OUTBOUND SHORTEST_PATH "cities/lisbon" TO "cities/warsaw"
            GRAPH europe RETURN v.name
          FOR c IN cities FILTER GEO_DISTANCE(c.location, [13.4, 52.5]) < 7e5 RETURN c
          FOR s IN settings RETURN s
        """

    static let cities:
        [(key: String, name: String, country: String, population: Int, latitude: Double, longitude: Double)] = [
            ("berlin", "Berlin", "DE", 3_664_088, 52.52, 13.405),
            ("paris", "Paris", "FR", 2_102_650, 48.8566, 2.3522),
            ("madrid", "Madrid", "ES", 3_305_408, 40.4168, -3.7038),
            ("lisbon", "Lisbon", "PT", 545_796, 38.7223, -9.1393),
            ("rome", "Rome", "IT", 2_770_226, 41.9028, 12.4964),
            ("vienna", "Vienna", "AT", 1_931_593, 48.2082, 16.3738),
            ("prague", "Prague", "CZ", 1_357_326, 50.0755, 14.4378),
            ("warsaw", "Warsaw", "PL", 1_863_056, 52.2297, 21.0122),
        ]

    static let roads: [(from: String, to: String, km: Int)] = [
        ("lisbon", "madrid", 625), ("madrid", "paris", 1270), ("paris", "berlin", 1050), ("berlin", "prague", 350),
        ("berlin", "warsaw", 575), ("prague", "vienna", 335), ("vienna", "rome", 1120), ("rome", "paris", 1420),
        ("prague", "warsaw", 680), ("vienna", "warsaw", 680), ("madrid", "rome", 1950), ("paris", "prague", 1030),
    ]

    static func load(into db: Database) throws {
        let existing = Set(try db.collections().map(\.name))
        for name in ["cities", "roads", "settings"] where existing.contains(name) {
            throw LocusError(
                .duplicateName, "collection '\(name)' already exists: the sample loads into a database without it")
        }
        try db.createCollection("cities")
        try db.createCollection("roads", type: .edge)
        try db.createCollection("settings", type: .kv)
        let cityDocuments: [Value] = cities.map {
            [
                "_key": .string($0.key), "name": .string($0.name), "country": .string($0.country),
                "population": .int($0.population), "location": [.number($0.longitude), .number($0.latitude)],
            ]
        }
        try db.query("FOR c IN @cities INSERT c INTO cities", bindVars: ["cities": .array(cityDocuments)])
        let roadDocuments: [Value] = roads.map {
            ["_from": .string("cities/" + $0.from), "_to": .string("cities/" + $0.to), "km": .int($0.km)]
        }
        try db.query("FOR r IN @roads INSERT r INTO roads", bindVars: ["roads": .array(roadDocuments)])
        _ = try db.createIndex(collection: "cities", fields: ["location"], type: .geo, geoJson: true)
        _ = try db.createGraph(
            "europe", edgeDefinitions: [["collection": "roads", "from": ["cities"], "to": ["cities"]]])
        try db.query(
            """
            FOR s IN [{_key: "theme", value: "dark"}, {_key: "language", value: "en"},
                      {_key: "session", value: "temporary", expireAt: DATE_NOW() / 1000 + 3600}]
              INSERT s INTO settings
            """)
    }
}
