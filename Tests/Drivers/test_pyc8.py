"""pyC8 1.1.2, unmodified, against a real `locus serve --data DIR`: Macrometa's login (e-mail and
tenant forms, token, API key), collections, documents, C8QL cursors, the key-value API and
query workers, search views and analyzers, with the errors it raises.

pyC8 always builds `https://api-{host}:443` and ignores the port; the subclass below points it
at the local server, as the driver offers no other way. Its Pulsar-style streams are out of
scope."""
import time

import pytest
import requests
from c8 import C8Client
from c8.exceptions import (
    C8AuthenticationError,
    C8QLQueryExecuteError,
    GetValueError,
    RestqlCreateError,
    RestqlExecuteError,
    RestqlImportError,
)

from conftest import ROOT_PASSWORD


def local_client(url):
    class LocalClient(C8Client):
        def set_port(self):
            self._port = int(url.rsplit(":", 1)[1])

        def set_url(self):
            self._url = url

    return LocalClient


@pytest.fixture(scope="module")
def client(server):
    return local_client(server.url)(protocol="http", host="127.0.0.1", port=0, email="root@localhost",
                                    password=ROOT_PASSWORD, geofabric="_system")


def test_login_answers_tenant_and_token(server):
    body = requests.post(server.url + "/_open/auth", json={"email": "root@localhost", "password": ROOT_PASSWORD}).json()
    assert body["tenant"] and body["jwt"].count(".") == 2
    by_name = requests.post(server.url + "/_open/auth",
                            json={"tenant": body["tenant"], "username": "root", "password": ROOT_PASSWORD}).json()
    assert by_name["tenant"] == body["tenant"]
    wrong_tenant = requests.post(server.url + "/_open/auth", json={"tenant": "other", "username": "root", "password": ROOT_PASSWORD})
    assert wrong_tenant.status_code == 401
    with pytest.raises(C8AuthenticationError):
        local_client(server.url)(protocol="http", host="127.0.0.1", port=0, email="root@localhost", password="wrong")


def test_token_and_api_key_clients(server, client):
    token = client.get_jwt(ROOT_PASSWORD, email="root@localhost")["jwt"]
    by_token = local_client(server.url)(protocol="http", host="127.0.0.1", port=0, token=token, geofabric="_system")
    assert by_token._tenant.tenant_name == "locus"
    key = client.create_api_key("ci-key")
    assert key["keyid"] == "ci-key" and key["key"].startswith("ci-key.")
    assert any(k["keyid"] == "ci-key" for k in client.list_all_api_keys())
    by_key = local_client(server.url)(protocol="http", host="127.0.0.1", port=0, apikey=key["key"], geofabric="_system")
    assert by_key.has_collection("nothing_here") is False
    assert client.remove_api_key("ci-key") is True
    refused = requests.get(server.url + "/_api/collection", headers={"Authorization": "apikey " + key["key"]})
    assert refused.status_code == 401 and refused.json()["errorNum"] == 11


def test_collections_documents_and_cursors(client):
    client.create_collection("orders")
    assert client.has_collection("orders")
    info = client.collection("orders").get_collection_information()  # the client-level call passes one argument too many
    assert info["collectionModel"] == "DOC" and info["isLocal"] is False and info["hasStream"] is False
    client.insert_document("orders", document=[{"_key": str(i), "n": i} for i in range(250)])
    assert client.get_document("orders", "7")["n"] == 7
    assert list(client.execute_query("FOR o IN orders FILTER o.n < @n SORT o.n RETURN o.n", bind_vars={"n": 5})) == [0, 1, 2, 3, 4]
    # Macrometa's default batch is 100 rows; the rest come with PUT /cursor/{id}.
    paged = client.execute_query("FOR i IN 1..250 RETURN i")
    assert len(paged.batch()) == 100 and paged.has_more()
    assert list(paged) == list(range(1, 251))
    # A stream cursor fetched batch by batch with PUT /cursor/{id}.
    every = client.get_all_batches("FOR o IN orders SORT o.n RETURN o", batch_size=100)
    assert [d["n"] for d in every] == list(range(250))
    with pytest.raises(C8QLQueryExecuteError) as e:
        client.execute_query("FOR o IN orders RETURN")
    assert e.value.error_code == 1501
    plan = client.explain_query("FOR o IN orders FILTER o.n > 3 RETURN o")
    assert plan["collections"] == [{"name": "orders", "type": "read"}] and plan["isModificationQuery"] is False
    assert [n["type"] for n in plan["nodes"]][:2] == ["SingletonNode", "EnumerateCollectionNode"]
    assert plan["nodes"][1]["dependencies"] == [plan["nodes"][0]["id"]]
    client.delete_collection("orders")
    assert not client.has_collection("orders")


def test_key_value(client):
    assert client.create_collection_kv("settings", expiration=True) is True
    assert client.has_collection_kv("settings")
    now = int(time.time())
    client.insert_key_value_pair("settings", [{"_key": "a", "value": 1}, {"_key": "b", "value": "two", "expireAt": now + 3600},
                                             {"_key": "gone", "value": 3, "expireAt": now - 5}])
    client.insert_key_value_pair("settings", {"_key": "c", "value": [3]})
    entry = client.get_value_for_key("settings", "a")
    assert entry["value"] == 1 and entry["expireAt"] == -1 and entry["_id"] == "settings/a"
    with pytest.raises(GetValueError):
        client.get_value_for_key("settings", "gone")
    assert client.get_kv_count("settings") == 3
    assert client.get_keys("settings", order="desc") == ["c", "b", "a"]
    assert client.get_keys("settings", offset=1, limit=1) == ["b"]
    assert [e["_key"] for e in client.get_key_value_pairs("settings")["result"]] == ["a", "b", "c"]
    assert client.delete_entry_for_key("settings", "a") is True
    client.delete_entry_for_keys("settings", ["b", "missing"])
    assert client.get_keys("settings") == ["c"]
    assert client.remove_key_value_pairs("settings") is True
    assert client.get_kv_count("settings") == 0
    assert client.delete_collection_kv("settings") is True
    assert not client.has_collection_kv("settings")


def test_query_workers(client):
    client.create_collection("people")
    client.insert_document("people", document=[{"_key": str(i), "age": i} for i in range(150)])
    saved = client.create_restql({"query": {"name": "olderThan", "value": "FOR p IN people FILTER p.age >= @min SORT p.age RETURN p.age",
                                            "parameter": {"min": 100}}})
    assert saved["name"] == "olderThan"
    assert any(w["name"] == "olderThan" for w in client.get_restqls())
    first = client.execute_restql("olderThan")
    assert first["result"] == list(range(100, 150)) and first["hasMore"] is False
    paged = client.execute_restql("olderThan", {"bindVars": {"min": 0}, "batchSize": 100})
    assert paged["result"] == list(range(100)) and paged["hasMore"] is True
    rest = client.read_next_batch_restql(paged["id"])
    assert rest["result"] == list(range(100, 150)) and rest["hasMore"] is False
    assert client.update_restql("olderThan", {"query": {"value": "FOR p IN people FILTER p.age >= @min RETURN 1", "parameter": {"min": 149}}})
    assert client.execute_restql("olderThan")["result"] == [1]
    with pytest.raises(RestqlCreateError) as e:
        client.create_restql({"query": {"name": "broken", "value": "FOR p IN people RETURN"}})
    assert e.value.error_code == 1501
    with pytest.raises(RestqlCreateError) as e:
        client.create_restql({"query": {"name": "extra", "value": "RETURN @a", "parameter": {"b": 1}}})
    assert e.value.error_code == 1552
    with pytest.raises(RestqlExecuteError):
        client.execute_restql("noSuchWorker")
    # An import is checked whole before anything is saved.
    with pytest.raises(RestqlImportError) as e:
        client.import_restql([{"name": "fine", "value": "RETURN 1"}, {"name": "odd", "value": "RETURN @a", "parameter": {"b": 1}}])
    assert e.value.error_code == 1552
    assert not any(w["name"] == "fine" for w in client.get_restqls())
    assert client.import_restql([{"name": "imported", "value": "RETURN 42"}])["created"] == 1
    assert client.execute_restql("imported")["result"] == [42]
    assert client.delete_restql("olderThan") and client.delete_restql("imported")
    assert not any(w["name"] == "olderThan" for w in client.get_restqls())


def test_fabrics_are_databases(server, client):
    system = client._tenant.useFabric("_system")  # pyC8's fabric calls live on its fabric object
    assert system.create_fabric("shop", dclist=["fra"]) is True
    assert system.has_fabric("shop")
    shop = local_client(server.url)(protocol="http", host="127.0.0.1", port=0, email="root@localhost",
                                    password=ROOT_PASSWORD, geofabric="shop")
    shop.create_collection("items")
    shop.insert_document("items", document={"_key": "a"})
    assert shop.get_document("items", "a")["_key"] == "a"
    assert not client.has_collection("items")
    assert system.delete_fabric("shop") is True
    assert not system.has_fabric("shop")


def test_search_views_and_analyzers(client):
    """Macrometa's search routes: a view created with links and searched with C8QL, the
    search capability of a collection (which creates the collection), a search in it by C8QL
    fragment and by text, and the analyzers."""
    client.create_collection("articles")
    client.insert_document("articles", document=[
        {"_key": "1", "text": "The quick brown fox"}, {"_key": "2", "text": "Lazy dogs sleep"}])
    view = client.create_view("articles_view", links={"articles": {"fields": {"text": {"analyzers": ["text_en"]}}}})
    assert view["name"] == "articles_view"
    assert "articles_view" in [v["name"] for v in client.list_all_views()]
    assert client.get_view_properties("articles_view")["links"]["articles"]["fields"]["text"]["analyzers"] == ["text_en"]
    found = client.execute_query(
        'FOR d IN articles_view SEARCH ANALYZER(d.text == "dog", "text_en") RETURN d._key')
    assert list(found) == ["2"]
    assert client.delete_view("articles_view") is True
    assert client.set_search("tickets", "true", "subject") is True
    client.insert_document("tickets", document=[
        {"_key": "a", "subject": "Printer is on fire", "URL": "x"}, {"_key": "b", "subject": "Fire drill today"}])
    by_fragment = client.search_in_collection("tickets", "FILTER doc.URL == @url RETURN doc._key", {"url": "x"})
    assert by_fragment["result"] == ["a"]
    by_text = client.search_in_collection("tickets", "fires")
    assert sorted(d["_key"] for d in by_text["result"]) == ["a", "b"]
    assert client.set_search("tickets", "false", "subject") is True
    assert "c8search_tickets" not in [v["name"] for v in client.list_all_views()]
    analyzers = {a["name"] for a in client.get_list_of_analyzer()}
    assert {"identity", "text_en"} <= analyzers
    assert client.get_analyzer_definition("text_en")["type"] == "text"
