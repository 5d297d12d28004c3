"""The hosts, suffixes and parameters the URL policy (urls.py) names, kept apart from its logic.

Each list says why it exists; adding a host is a one-line change reviewed like content.
"""

from __future__ import annotations

SHORTENERS = frozenset(
    {
        "aka.ms",
        "amzn.to",
        "bit.do",
        "bit.ly",
        "buff.ly",
        "cutt.ly",
        "dlvr.it",
        "fb.me",
        "goo.gl",
        "is.gd",
        "lnkd.in",
        "ow.ly",
        "rb.gy",
        "rebrand.ly",
        "s.id",
        "shorturl.at",
        "t.co",
        "t.ly",
        "tiny.cc",
        "tinyurl.com",
        "trib.al",
        "v.gd",
        "youtu.be",
    }
)

# Hosts known for unofficial copies of books and papers; a book links its publisher.
PIRACY_HOSTS = frozenset(
    {
        "1lib.net",
        "annas-archive.org",
        "annas-archive.li",
        "annas-archive.se",
        "b-ok.cc",
        "b-ok.org",
        "dokumen.pub",
        "ebin.pub",
        "epdf.pub",
        "gen.lib.rus.ec",
        "libgen.is",
        "libgen.li",
        "libgen.rs",
        "libgen.st",
        "pdfcoffee.com",
        "pdfdrive.com",
        "sci-hub.se",
        "sci-hub.ru",
        "sci-hub.st",
        "vdoc.pub",
        "z-lib.org",
        "z-library.sk",
        "zlibrary.to",
    }
)
PIRACY_LABELS = ("libgen", "sci-hub", "z-lib", "zlibrary", "annas-archive")

# Hosts where anyone can put any file. A document there is a copy whose licence nobody
# checked; a host matches its subdomains too (www.dropbox.com, dl.dropboxusercontent.com).
# Code hosts and their raw-content hosts: a repository page is fine, a document file is not.
CODE_HOSTS = frozenset(
    {
        "bitbucket.org",
        "codeberg.org",
        "gitee.com",
        "github.com",
        "githubusercontent.com",
        "gitlab.com",
        "sourceforge.net",
    }
)
# File sharing and cloud drives: no page there is a publisher's or an author's own.
SHARING_HOSTS = frozenset(
    {
        "1drv.ms",
        "4shared.com",
        "box.com",
        "docs.google.com",
        "drive.google.com",
        "dropbox.com",
        "dropboxusercontent.com",
        "icloud.com",
        "issuu.com",
        "mediafire.com",
        "mega.io",
        "mega.nz",
        "onedrive.live.com",
        "scribd.com",
        "sharepoint.com",
        "slideshare.net",
        "wetransfer.com",
        "yumpu.com",
    }
)
FILE_HOSTS = CODE_HOSTS | SHARING_HOSTS
DOCUMENT_SUFFIXES = (".pdf", ".epub", ".djvu", ".mobi", ".azw", ".azw3", ".fb2", ".chm")

TRACKING_PARAMETERS = frozenset(
    {
        "_hsenc",
        "_hsmi",
        "dclid",
        "fbclid",
        "gclid",
        "gclsrc",
        "igshid",
        "mc_cid",
        "mc_eid",
        "msclkid",
        "ref_src",
        "spm",
        "trk",
        "twclid",
        "wbraid",
        "gbraid",
        "yclid",
        "si",
    }
)

INTERNAL_SUFFIXES = (".localhost", ".local", ".internal", ".intranet", ".corp", ".lan", ".home.arpa")
