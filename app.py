"""The dashboard on the `seeds/` corpus (or $TIMELINE_CORPUS): `make run` / `python app.py`.

Under a production server: `gunicorn -w 4 -b 127.0.0.1:8050 app:server`. Every worker
parses the corpus at start-up and shares corrections and uploads through files:

- TIMELINE_CORPUS: article files or folders, separated by the OS path separator (':'),
  default seeds/;
- TIMELINE_STORE: an archive's store (`timeline ingest`) to serve instead of TIMELINE_CORPUS:
  never read whole (the part the reader's filters select is), and seen again when a run of
  `timeline ingest` rewrites it; corrections and uploads live in the store folder;
- TIMELINE_DATABASE_URL: the database of users and corrections (an SQLAlchemy URL, e.g.
  postgresql+psycopg://timeline@db/timeline; default timeline.db in the corpus folder);
- TIMELINE_OPEN=1: with no users, anyone may edit; without it, and with no users, the app is
  read-only under gunicorn (it cannot know which address it listens on) and open only to
  `python app.py` on a loopback $HOST;
- TIMELINE_ALLOWED_HOSTS: host names requests may name besides the public URL's and localhost;
- TIMELINE_PROXIES: how many proxies stand in front (nginx: 1), whose X-Forwarded-* are believed;
- TIMELINE_PUBLIC=1: the story is public: with users, anyone may read its dashboard and
  events API (default: signed-in users only; embeds and oEmbed are public either way);
- TIMELINE_SECRET_KEY: the key that signs session cookies (default one made once and kept in
  the database);
- TIMELINE_OIDC_ISSUER, TIMELINE_OIDC_CLIENT_ID, TIMELINE_OIDC_CLIENT_SECRET (and
  TIMELINE_OIDC_NAME_CLAIM, default email): sign-in through the newsroom's identity provider;
- TIMELINE_OVERRIDES: a corrections file imported under the database's corrections (default
  overrides.csv in the corpus folder, when there is one);
- TIMELINE_UPLOADS: the uploads folder (default uploads/ in the corpus folder);
- TIMELINE_STORIES: the folder of the stories editors start, one sub-folder each, served at
  /s/<name>/ (default stories/ in the corpus folder);
- TIMELINE_STORY: the story file, the map's routes, places, title and view (default
  story.yaml in the corpus folder);
- TIMELINE_EMBED_FRAME_ANCESTORS: the sites that may frame /embed, as a CSP frame-ancestors
  source list (default *: any site); the editing app itself is never framed;
- TIMELINE_PUBLIC_URL: the address readers reach the app at (https://news.example/chronology/),
  which /oembed and /embed build their absolute URLs from (default http://$HOST:$PORT/);
- TIMELINE_PARSE_SECONDS, TIMELINE_PARSE_SECONDS_PER_MB, TIMELINE_PARSE_MEMORY_MB: what
  parsing one article file may cost (default 5 s of CPU plus 3 s per MB, 512 MB): each file
  is parsed in a child process, and one over a limit is skipped and named, an upload refused.

`python app.py` listens on $HOST:$PORT (default 127.0.0.1:8050). Under gunicorn, give
requests more time than the parse limits give the largest upload (`--timeout 120`).
"""
from __future__ import annotations

import os
from pathlib import Path

from timeline.webapp import create_app
from timeline.webapp.oidc import OidcConfig
from timeline.webapp.sandbox import Limits

SEEDS = Path(__file__).resolve().parent / "seeds"
HOST, PORT = os.environ.get("HOST") or "127.0.0.1", int(os.environ.get("PORT") or "8050")

STORE = os.environ.get("TIMELINE_STORE") or None


app = create_app(
    [STORE] if STORE else [p for p in os.environ.get("TIMELINE_CORPUS", str(SEEDS)).split(os.pathsep) if p],
    store=STORE,
    overrides_path=os.environ.get("TIMELINE_OVERRIDES") or None,
    upload_dir=os.environ.get("TIMELINE_UPLOADS") or None,
    story_path=os.environ.get("TIMELINE_STORY") or None,
    embed_frame_ancestors=os.environ.get("TIMELINE_EMBED_FRAME_ANCESTORS") or "*",
    public_url=os.environ.get("TIMELINE_PUBLIC_URL") or f"http://{HOST}:{PORT}/",
    parse_limits=Limits.from_env(),
    # Under gunicorn (imported, not run) the address it listens on is not known here.
    bind_host=HOST if __name__ == "__main__" else None,
    open_=os.environ.get("TIMELINE_OPEN", "").lower() in ("1", "true", "yes"),
    allowed_hosts=os.environ.get("TIMELINE_ALLOWED_HOSTS", "").split(","),
    oidc=OidcConfig.from_env(),
    proxies=int(os.environ.get("TIMELINE_PROXIES") or 0),
    public_story=os.environ.get("TIMELINE_PUBLIC", "").lower() in ("1", "true", "yes"),
    stories_dir=os.environ.get("TIMELINE_STORIES") or None,
)
server = app.server

if __name__ == "__main__":
    from timeline.webapp.access import request_handler

    app.run(host=HOST, port=PORT, request_handler=request_handler())
