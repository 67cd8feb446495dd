"""python-arango 8.3.7, unmodified, against a real `locus serve --data DIR`: every route family
the driver uses (databases, collections, documents, cursors, AQL, indexes, import, graphs,
edges, stream transactions, users, analyzers), with the errors it branches on."""
import pytest
from arango import ArangoClient
from arango.exceptions import (
    AnalyzerCreateError,
    AnalyzerDeleteError,
    AnalyzerGetError,
    AQLQueryExecuteError,
    AQLQueryValidateError,
    CollectionCreateError,
    DatabaseCreateError,
    DocumentInsertError,
    DocumentRevisionError,
    DocumentDeleteError,
    GraphDeleteError,
    IndexGetError,
    ServerConnectionError,
    TransactionInitError,
)

from conftest import ROOT_PASSWORD


@pytest.fixture(scope="module")
def client(server):
    c = ArangoClient(hosts=server.url)
    yield c
    c.close()


@pytest.fixture(scope="module")
def sys_db(client):
    return client.db("_system", username="root", password=ROOT_PASSWORD, verify=True)


@pytest.fixture(scope="module")
def db(sys_db, client):
    if not sys_db.has_database("shop"):
        sys_db.create_database("shop")
    return client.db("shop", username="root", password=ROOT_PASSWORD)


def test_connect_with_basic_auth_and_jwt(client, sys_db):
    assert sys_db.version().count(".") == 2
    assert sys_db.version(details=True)["details"]["server-version"] == sys_db.version()
    jwt_db = client.db("_system", username="root", password=ROOT_PASSWORD, auth_method="jwt", verify=True)
    assert jwt_db.version() == sys_db.version()
    with pytest.raises(ServerConnectionError):
        client.db("_system", username="root", password="wrong", verify=True)


def test_databases(sys_db, client):
    sys_db.create_database("scratch")
    assert "scratch" in sys_db.databases()
    assert sys_db.has_database("scratch")
    props = client.db("scratch", username="root", password=ROOT_PASSWORD).properties()
    assert props["name"] == "scratch" and props["system"] is False
    with pytest.raises(DatabaseCreateError) as e:
        sys_db.create_database("scratch")
    assert e.value.error_code == 1207
    with pytest.raises(DatabaseCreateError) as e:
        sys_db.create_database("no/slash")
    assert e.value.error_code == 1229
    assert sys_db.delete_database("scratch")
    assert sys_db.delete_database("scratch", ignore_missing=True) is False


def test_collections(db):
    col = db.create_collection("people")
    assert db.has_collection("people")
    assert any(c["name"] == "people" and c["type"] == "document" for c in db.collections())
    edges = db.create_collection("knows", edge=True)
    assert edges.properties()["edge"] is True
    with pytest.raises(CollectionCreateError) as e:
        db.create_collection("people")
    assert e.value.error_code == 1207
    col.insert_many([{"_key": str(i)} for i in range(5)])
    assert col.count() == 5
    col.truncate()
    assert col.count() == 0
    assert db.delete_collection("knows")
    assert not db.has_collection("knows")


def test_documents_and_revisions(db):
    col = db.collection("people") if db.has_collection("people") else db.create_collection("people")
    meta = col.insert({"_key": "ada", "born": 1815}, return_new=True)
    assert meta["_id"] == "people/ada" and meta["new"]["born"] == 1815
    assert col.get("ada")["born"] == 1815
    assert col.has("ada") and not col.has("nobody")
    assert col.get("nobody") is None
    with pytest.raises(DocumentInsertError) as e:
        col.insert({"_key": "ada"})
    assert e.value.error_code == 1210
    stale = meta["_rev"]
    updated = col.update({"_key": "ada", "field": "maths"}, return_old=True)
    assert updated["_old_rev"] == stale and updated["old"]["born"] == 1815
    with pytest.raises(DocumentRevisionError):
        col.update({"_key": "ada", "_rev": stale, "x": 1}, check_rev=True)
    with pytest.raises(DocumentRevisionError):
        col.get({"_key": "ada", "_rev": stale}, check_rev=True)
    replaced = col.replace({"_key": "ada", "name": "Ada Lovelace"})
    assert col.get("ada") == {"_key": "ada", "_id": "people/ada", "_rev": replaced["_rev"], "name": "Ada Lovelace"}
    with pytest.raises(DocumentRevisionError):
        col.delete({"_key": "ada", "_rev": stale}, check_rev=True)
    assert col.delete("ada", return_old=True)["old"]["name"] == "Ada Lovelace"
    assert col.delete("ada", ignore_missing=True) is False
    with pytest.raises(DocumentDeleteError) as e:
        col.delete("ada")
    assert e.value.error_code == 1202


def test_bulk_operations(db):
    col = db.create_collection("bulk")
    results = col.insert_many([{"_key": "a", "v": 1}, {"_key": "b", "v": 2}, {"_key": "a"}])
    assert results[0]["_key"] == "a" and results[1]["_key"] == "b"
    assert isinstance(results[2], DocumentInsertError) and results[2].error_code == 1210
    got = col.get_many(["a", "b", "zzz"])
    assert sorted(d["_key"] for d in got) == ["a", "b"]
    updated = col.update_many([{"_key": "a", "v": 10}, {"_key": "missing", "v": 0}])
    assert updated[0]["_key"] == "a" and updated[1].error_code == 1202
    assert col.get("a")["v"] == 10
    replaced = col.replace_many([{"_key": "b", "w": 3}])
    assert replaced[0]["_key"] == "b" and "v" not in col.get("b")
    deleted = col.delete_many(["a", "b"])
    assert [d["_key"] for d in deleted] == ["a", "b"]
    assert col.count() == 0


def test_cursors(db):
    col = db.create_collection("numbers")
    col.insert_many([{"_key": str(i), "n": i} for i in range(10)])
    cursor = db.aql.execute("FOR d IN numbers SORT d.n RETURN d.n", batch_size=3, count=True, ttl=30)
    assert cursor.count() == 10
    assert list(cursor) == list(range(10))
    cursor = db.aql.execute("FOR d IN numbers SORT d.n RETURN d.n", batch_size=4, allow_retry=True)
    assert list(cursor) == list(range(10))
    cursor = db.aql.execute("FOR d IN numbers RETURN d", batch_size=2)
    next(cursor)
    cursor.close()
    cursor = db.aql.execute("FOR i IN @@c FILTER i.n >= @lo RETURN i.n", bind_vars={"@c": "numbers", "lo": 7})
    assert sorted(cursor) == [7, 8, 9]
    profiled = db.aql.execute("FOR d IN numbers COLLECT m = d.n % 2 RETURN m", profile=True)
    assert set(profiled.profile()) == {"parsing", "optimizing plan", "executing", "finalizing"}
    assert all(t >= 0 for t in profiled.profile().values())
    assert db.aql.execute("RETURN 1").profile() is None
    stats = db.aql.execute("FOR d IN numbers FILTER d.n < 3 REMOVE d IN numbers").statistics()
    assert stats["modified"] == 3
    with pytest.raises(AQLQueryExecuteError) as e:
        db.aql.execute("FOR d IN nothing_here RETURN d")
    assert e.value.error_code == 1203
    with pytest.raises(AQLQueryExecuteError) as e:
        db.aql.execute("FOR d IN numbers RETURN")
    assert e.value.error_code == 1501


def test_validate_and_explain(db):
    parsed = db.aql.validate("FOR d IN numbers FILTER d.n == @n RETURN d")
    assert parsed["bind_vars"] == ["n"] and "numbers" in parsed["collections"]
    # The syntax tree in ArangoDB's shape: root, then the FOR with its variable and collection.
    (root,) = parsed["ast"]
    loop = root["subNodes"][0]
    assert root["type"] == "root" and loop["type"] == "for"
    assert loop["subNodes"][:2] == [{"type": "variable", "name": "d", "id": 0}, {"type": "collection", "name": "numbers"}]
    with pytest.raises(AQLQueryValidateError) as e:
        db.aql.validate("FOR d IN RETURN d")
    assert e.value.error_code == 1501
    plan = db.aql.explain("FOR d IN numbers FILTER d.n == 5 RETURN d")
    assert any(n["type"] == "EnumerateCollectionNode" for n in plan["nodes"])
    rules = db.aql.query_rules()
    names = [r["name"] for r in rules]
    assert "use-indexes" in names and "sort-limit" in names and len(set(names)) == len(names)
    assert all(r["flags"]["canBeDisabled"] and not r["flags"]["clusterOnly"] for r in rules)
    assert set(plan["rules"]) <= set(names)


def test_indexes(db):
    col = db.collection("numbers")
    index = col.add_index({"type": "persistent", "fields": ["n"], "unique": False})
    assert index["fields"] == ["n"] and index["isNewlyCreated"] is True
    again = col.add_index({"type": "persistent", "fields": ["n"]})
    assert again["id"] == index["id"] and again["isNewlyCreated"] is False
    hashed = col.add_index({"type": "hash", "fields": ["m"], "sparse": True})
    assert hashed["type"] == "persistent" and hashed["sparse"] is True
    assert {i["id"] for i in col.indexes()} >= {index["id"], hashed["id"]}
    assert col.delete_index(hashed["id"])
    with pytest.raises(Exception) as e:
        col.delete_index(hashed["id"])
    assert getattr(e.value, "error_code", None) == 1212
    plan = db.aql.explain("FOR d IN numbers FILTER d.n == 5 RETURN d")
    assert any(n["type"] == "IndexNode" for n in plan["nodes"])


def test_import(db):
    col = db.create_collection("imported")
    result = col.import_bulk([{"_key": "x", "v": 1}, {"_key": "y"}], details=True)
    assert result["created"] == 2 and result["errors"] == 0
    result = col.import_bulk([{"_key": "x", "v": 2}, {"_key": "z"}], on_duplicate="update")
    assert result["updated"] == 1 and result["created"] == 1
    result = col.import_bulk([{"_key": "x"}], on_duplicate="ignore")
    assert result["ignored"] == 1
    result = col.import_bulk([{"_key": "x"}, {"_key": "w"}], on_duplicate="error", halt_on_error=False)
    assert result["errors"] == 1 and result["created"] == 1
    # With halt_on_error (complete=true), one error keeps the whole import out.
    with pytest.raises(DocumentInsertError) as e:
        col.import_bulk([{"_key": "v"}, {"_key": "x"}])
    assert e.value.error_code == 1210 and not col.has("v")
    assert col.get("x")["v"] == 2 and col.count() == 4


def test_graphs(db):
    graph = db.create_graph("school", edge_definitions=[
        {"edge_collection": "teach", "from_vertex_collections": ["teachers"], "to_vertex_collections": ["students"]}])
    assert db.has_graph("school")
    assert any(g["name"] == "school" for g in db.graphs())
    teachers = graph.vertex_collection("teachers")
    students = graph.vertex_collection("students")
    teachers.insert({"_key": "jon"})
    students.insert({"_key": "ann"})
    students.insert({"_key": "bob"})
    teach = graph.edge_collection("teach")
    teach.insert({"_key": "1", "_from": "teachers/jon", "_to": "students/ann"})
    teach.insert({"_key": "2", "_from": "teachers/jon", "_to": "students/bob"})
    assert graph.vertex("students/ann")["_key"] == "ann"
    assert teach.get("1")["_to"] == "students/ann"
    out = teach.edges("teachers/jon", direction="out")
    assert sorted(e["_key"] for e in out["edges"]) == ["1", "2"]
    with pytest.raises(Exception) as e:
        teach.insert({"_from": "teachers/nobody", "_to": "students/ann"})
    students.update({"_key": "ann", "year": 2})
    assert students.get("ann")["year"] == 2
    students.delete("bob")
    assert teach.get("2") is None
    graph.create_vertex_collection("rooms")
    assert "rooms" in graph.vertex_collections()
    graph.create_edge_definition(edge_collection="in_room", from_vertex_collections=["students"], to_vertex_collections=["rooms"])
    assert any(d["edge_collection"] == "in_room" for d in graph.edge_definitions())
    rows = list(db.aql.execute("FOR v IN 1..1 OUTBOUND 'teachers/jon' GRAPH 'school' RETURN v._key"))
    assert rows == ["ann"]
    assert db.delete_graph("school", drop_collections=True)
    with pytest.raises(GraphDeleteError) as e:
        db.delete_graph("school")
    assert e.value.error_code == 1924


def test_stream_transactions(db):
    col = db.create_collection("ledger")
    txn = db.begin_transaction(write=["ledger"], read=["ledger"])
    tcol = txn.collection("ledger")
    tcol.insert({"_key": "t1", "amount": 5})
    assert tcol.count() == 1
    assert col.count() == 0  # not visible outside until commit
    assert txn.transaction_status() == "running"
    cursor = txn.aql.execute("FOR d IN ledger RETURN d._key", batch_size=1)
    tcol.insert({"_key": "t2"})
    txn.commit_transaction()
    assert list(cursor) == ["t1"]
    assert col.count() == 2
    txn = db.begin_transaction(write=["ledger"])
    txn.collection("ledger").insert({"_key": "t3"})
    txn.aql.execute("FOR d IN ledger UPDATE d WITH {seen: true} IN ledger")
    assert txn.abort_transaction()
    assert col.count() == 2 and "seen" not in col.get("t1")
    with pytest.raises(TransactionInitError) as e:
        db.begin_transaction(read=["missing_collection"])
    assert e.value.error_code == 1203
    # maxTransactionSize: a write past it fails with error 32 and the transaction goes on.
    small = db.begin_transaction(write=["ledger"], max_size=300)
    small.collection("ledger").insert({"_key": "s1"})
    with pytest.raises(DocumentInsertError) as e:
        small.collection("ledger").insert({"_key": "s2", "pad": "x" * 400})
    assert e.value.error_code == 32
    small.commit_transaction()
    assert col.has("s1") and not col.has("s2")


def test_users_and_permissions(sys_db, client, db):
    sys_db.create_user("alice", "secret")
    sys_db.update_permission("alice", "ro", "shop")
    alice = client.db("shop", username="alice", password="secret", verify=True)
    assert alice.collection("numbers").count() >= 0
    with pytest.raises(DocumentInsertError) as e:
        alice.collection("numbers").insert({"x": 1})
    assert e.value.http_code == 403
    sys_db.update_permission("alice", "rw", "shop")
    assert alice.collection("numbers").insert({"_key": "alice"})["_key"] == "alice"
    sys_db.update_permission("alice", "none", "shop")
    with pytest.raises(Exception):
        alice.collection("numbers").count()
    assert any(u["username"] == "alice" for u in sys_db.users())
    sys_db.delete_user("alice")


def test_analyzers(db):
    """ArangoSearch analyzers: built-in and custom ones listed, created once (an identical
    definition again answers the existing one), used by TOKENS, refused when they collide, and
    dropped (a built-in one never)."""
    names = {a["name"] for a in db.analyzers()}
    assert {"identity", "text_en", "text_de"} <= names
    created = db.create_analyzer("hyphen", "delimiter", {"delimiter": "-"}, ["frequency", "norm"])
    assert created["name"] == "shop::hyphen" and created["properties"] == {"delimiter": "-"}
    assert db.create_analyzer("hyphen", "delimiter", {"delimiter": "-"}, ["frequency", "norm"])["name"] == "shop::hyphen"
    with pytest.raises(AnalyzerCreateError) as e:
        db.create_analyzer("hyphen", "delimiter", {"delimiter": "+"})
    assert e.value.error_code == 10
    with pytest.raises(AnalyzerCreateError) as e:
        db.create_analyzer("bad", "text", {})
    assert e.value.error_code == 10
    assert db.analyzer("hyphen")["type"] == "delimiter"
    assert "shop::hyphen" in {a["name"] for a in db.analyzers()}
    tokens = db.aql.execute('RETURN [TOKENS("a-b", "hyphen"), TOKENS("Running dogs", "text_en")]')
    assert list(tokens) == [[["a", "b"], ["run", "dog"]]]
    with pytest.raises(AnalyzerDeleteError) as e:
        db.delete_analyzer("text_en")
    assert e.value.http_code == 403
    assert db.delete_analyzer("hyphen") is True
    assert db.delete_analyzer("hyphen", ignore_missing=True) is False
    with pytest.raises(AnalyzerGetError) as e:
        db.analyzer("hyphen")
    assert e.value.error_code == 1202


def test_views_and_search(db):
    """ArangoSearch views: created with links, listed, searched (the view follows every write at
    once), scored with BM25, changed with PATCH and dropped."""
    articles = db.collection("articles") if db.has_collection("articles") else db.create_collection("articles")
    articles.insert_many([
        {"_key": "a", "title": "Foxes", "body": "The quick brown fox jumps over the lazy dog"},
        {"_key": "b", "title": "Dogs", "body": "Lazy dogs sleep; a fox watches the dogs"},
        {"_key": "c", "title": "Cats", "body": "Cats ignore everyone"},
    ])
    view = db.create_arangosearch_view(
        "articles_view", {"links": {"articles": {"fields": {"body": {"analyzers": ["text_en"]}}}}})
    assert view["name"] == "articles_view" and view["type"] == "arangosearch"
    assert view["links"]["articles"]["fields"]["body"]["analyzers"] == ["text_en"]
    assert "articles_view" in {v["name"] for v in db.views()}
    assert db.view("articles_view")["links"]["articles"]["includeAllFields"] is False
    search = 'FOR d IN articles_view SEARCH ANALYZER(d.body IN TOKENS(@q, "text_en"), "text_en") ' \
             'SORT BM25(d) DESC, d._key RETURN d._key'
    assert list(db.aql.execute(search, bind_vars={"q": "lazy dogs"})) == ["b", "a"]
    articles.insert({"_key": "d", "body": "dogs dogs dogs"})
    assert list(db.aql.execute(search, bind_vars={"q": "dogs"}))[0] == "d"
    articles.delete("d")
    assert list(db.aql.execute(search, bind_vars={"q": "dogs"})) == ["b", "a"]
    with pytest.raises(AQLQueryExecuteError) as e:
        db.aql.execute("FOR d IN articles SEARCH d.body == 'x' RETURN d")
    assert e.value.error_code == 1501
    updated = db.update_arangosearch_view("articles_view", {"links": {"articles": {"fields": {"title": {}}}}})
    assert set(updated["links"]["articles"]["fields"]) == {"title"}
    assert list(db.aql.execute('FOR d IN articles_view SEARCH d.title == "Cats" RETURN d._key')) == ["c"]
    assert db.delete_view("articles_view") is True
    assert db.delete_view("articles_view", ignore_missing=True) is False
