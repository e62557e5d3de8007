"""The optional abstractive briefing: a fake OpenAI-compatible server; unsupported sentences are dropped."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from newsloom.errors import NewsloomError
from newsloom.llm import abstractive, check

SOURCES = [
    "Envoy Zalmay Khalilzad met President Emomali Rahmon in Dushanbe on Tuesday.",
    "The two discussed the Afghan peace process and regional security.",
]
BRIEF = {
    "kind": "event",
    "sentences": [
        {"text": s, "sources": [{"article_id": f"a{i}", "outlet": "X"}]} for i, s in enumerate(SOURCES)
    ],
}


def test_check_keeps_supported_and_drops_invented_sentences():
    kept, dropped = check(
        [
            "Khalilzad met Rahmon in Dushanbe on Tuesday [1].",
            "They discussed the peace process [2].",
            "Rahmon pledged 500 troops to the mission [2].",
            "Khalilzad met Rahmon 12 times in Dushanbe.",
        ],
        SOURCES,
    )
    assert [k["text"] for k in kept] == [
        "Khalilzad met Rahmon in Dushanbe on Tuesday.",
        "They discussed the peace process.",
    ]
    assert [k["source_index"] for k in kept] == [[0], [1]]
    assert len(dropped) == 2 and "cited" in dropped[0]["reason"] and "no source" in dropped[1]["reason"]


class _Fake(BaseHTTPRequestHandler):
    reply = ""

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        assert "[1] Envoy Zalmay Khalilzad" in body["messages"][0]["content"]
        out = json.dumps({"choices": [{"message": {"content": self.reply}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    srv = HTTPServer(("127.0.0.1", 0), _Fake)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()


def test_abstractive_briefing_through_an_openai_style_server(server):
    _Fake.reply = "Khalilzad met Rahmon in Dushanbe on Tuesday [1]. The meeting ended a ten-year feud [2]."
    out = abstractive(BRIEF, server)
    assert out["mode"] == "abstractive"
    assert len(out["sentences"]) == 1 and out["sentences"][0]["sources"] == [
        {"article_id": "a0", "outlet": "X"}
    ]
    assert len(out["dropped"]) == 1 and "feud" in out["dropped"][0]["text"]


def test_unreachable_or_broken_server_is_a_clear_error(server):
    with pytest.raises(NewsloomError, match="could not reach"):
        abstractive(BRIEF, "http://127.0.0.1:9", timeout=2)
    _Fake.reply = None  # type: ignore[assignment]
    with pytest.raises(NewsloomError, match="not an OpenAI-style"):
        abstractive(BRIEF, server)
