"""Read news articles into `Article`s: the first stage of the pipeline.

- `files`: `read_path`, `read_bytes`, `read_many` (files in, articles out, bad inputs named
  in one line each: `input_problem`), `MAX_BYTES`, `EXTENSIONS`;
- `decode`: bytes into text, the one decoder of every command;
- `formats`: .txt, .md, .html and .json articles;
- `published`: publication dates from the caller, metadata, datelines and footers
  (`parse_published`), and the spans of datelines and footers, which are metadata, never events;
- `articles`: the `Article` record, `article_from_text`, `article_id`;
- `sentences`: sentence boundaries (`split`).

Words (month names, footer words, abbreviations) are data in `timeline/lang/<code>/`.
"""
from timeline.read.articles import Article, article_from_text, article_id
from timeline.read.decode import decode
from timeline.read.files import EXTENSIONS, MAX_BYTES, article_files, input_problem, read_bytes, read_many, read_path
from timeline.read.published import parse_published

__all__ = ["Article", "EXTENSIONS", "MAX_BYTES", "article_files", "article_from_text", "article_id", "decode",
           "input_problem", "parse_published", "read_bytes", "read_many", "read_path"]
