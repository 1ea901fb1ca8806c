"""The dashboard on the `seeds/` corpus (or $TIMELINE_CORPUS): `make run` / `python app.py`.

Under a production server: `gunicorn -w 4 -b 127.0.0.1:8050 app:server`. Every worker
parses the corpus at start-up and shares corrections and uploads through files:

- TIMELINE_CORPUS: article files or folders, separated by the OS path separator (':'),
  default seeds/;
- TIMELINE_OVERRIDES: the corrections file (default overrides.csv in the corpus folder);
- TIMELINE_UPLOADS: the uploads folder (default uploads/ in the corpus folder);
- TIMELINE_EMBED_FRAME_ANCESTORS: the sites that may frame /embed, as a CSP frame-ancestors
  source list (default *: any site); the editing app itself is never framed.

`python app.py` listens on $HOST:$PORT (default 127.0.0.1:8050).
"""
from __future__ import annotations

import os
from pathlib import Path

from timeline.webapp import create_app

SEEDS = Path(__file__).resolve().parent / "seeds"

app = create_app(
    [p for p in os.environ.get("TIMELINE_CORPUS", str(SEEDS)).split(os.pathsep) if p],
    overrides_path=os.environ.get("TIMELINE_OVERRIDES") or None,
    upload_dir=os.environ.get("TIMELINE_UPLOADS") or None,
    embed_frame_ancestors=os.environ.get("TIMELINE_EMBED_FRAME_ANCESTORS") or "*",
)
server = app.server

if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "8050")))
