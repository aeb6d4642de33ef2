"""The watchlist pages: the lists in force, browsing one list, and importing a new version.

An import is two steps, so that nobody changes a list without seeing what it changes:
the upload is parsed and compared with the list in force (:func:`preview_import`), and the
difference is shown; only the confirmation applies it, through the same function as
``piu watchlist import`` (:func:`piu.ingest.lists.import_list`). Between the two steps the
uploaded bytes wait in ``PIU_DATA_DIR/staging/watchlists/<sha256>`` (mode 0600); the
confirmation names them by their SHA-256 and the hash is checked again when they are
read back, so what is applied is exactly what was previewed. Staged files are removed
when applied and swept after a day.

A file the importer refuses is shown with the importer's own error (line, column or XML
element) and nothing is staged or changed. List entries are personal data (names, dates
of birth, documents of listed people): browsing a list and the preview's samples are
audited.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from piu.accounts.roles import Role
from piu.ingest.lists import ListSettings, import_list
from piu.screening.importers import IMPORTERS, ImportedList, WatchlistFormatError, parse_bytes
from piu.store.watchlists import (
    SEVERITIES,
    browse_entries,
    get_watchlist,
    get_watchlist_by_id,
    import_history,
    last_imports,
    list_watchlists,
    preview_import,
)
from piu.web.deps import WATCHLIST_READERS, get_engine, get_settings, remote_address
from piu.web.params import Id
from piu.web.ui import csrf
from piu.web.ui.framework import (
    CsrfField,
    PageUser,
    audit_page,
    not_found,
    render,
    require_page_roles,
)

__all__ = ["WATCHLIST_MANAGERS", "router"]

router = APIRouter(include_in_schema=False)

WATCHLIST_MANAGERS = frozenset({Role.WATCHLIST_MANAGER})
ReaderPageUser = Annotated[PageUser, Depends(require_page_roles(WATCHLIST_READERS))]
ManagerPageUser = Annotated[PageUser, Depends(require_page_roles(WATCHLIST_MANAGERS))]

PAGE_SIZE = 50
SAMPLE = 10  # entries of each kind of change shown in the preview
MAX_UPLOAD = 128 * 1024 * 1024  # the largest real single-file list (OFAC XML) is ~100 MB
STAGED_FOR = 24 * 3600  # seconds an unconfirmed upload is kept
CATEGORIES = ("sanctions", "terrorism", "national", "sltd")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


# --- the list's settings, as typed in the form ---------------------------------------
@dataclass(slots=True)
class ListForm:
    """The import form's fields as sent (re-shown on an error) and what they mean."""

    name: str = ""
    format: str = ""
    source: str = ""
    legal_basis: str = ""
    category: str = ""
    severity: str = ""
    threshold: str = ""
    valid_from: str = ""
    valid_to: str = ""
    errors: list[str] = field(default_factory=list)

    def settings(self) -> ListSettings:
        """The settings to apply; fills :attr:`errors` with what is wrong."""
        self.name = self.name.strip()
        if not self.name or len(self.name) > 64 or not self.name.isprintable():
            self.errors.append("The list needs a name of 1 to 64 printable characters.")
        if self.format and self.format not in IMPORTERS:
            self.errors.append(f"Unknown format {self.format!r}.")
        if self.severity and self.severity not in SEVERITIES:
            self.errors.append(f"Severity must be one of {', '.join(SEVERITIES)}.")
        if len(self.category.strip()) > 32:
            self.errors.append("The category is at most 32 characters.")
        threshold = self._threshold()
        valid_from = self._date(self.valid_from, "First day in force")
        valid_to = self._date(self.valid_to, "Last day in force")
        if valid_from and valid_to and valid_to < valid_from:
            self.errors.append("The last day in force is before the first.")
        return ListSettings(
            source=self.source.strip() or None,
            legal_basis=self.legal_basis.strip() or None,
            category=self.category.strip() or None,
            severity=self.severity or None,
            threshold=threshold,
            valid_from=valid_from,
            valid_to=valid_to,
        )

    def _threshold(self) -> float | None:
        if not self.threshold.strip():
            return None
        try:
            value = float(self.threshold)
        except ValueError:
            value = -1.0
        if not 0.0 <= value <= 1.0:
            self.errors.append("The alert threshold is a number from 0 to 1 (empty: default).")
            return None
        return value

    def _date(self, value: str, label: str) -> date | None:
        if not value.strip():
            return None
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            self.errors.append(f"{label}: {value!r} is not a date (YYYY-MM-DD).")
            return None


def list_form(
    name: Annotated[str, Form(max_length=200)] = "",
    format: Annotated[str, Form(max_length=64)] = "",
    source: Annotated[str, Form(max_length=255)] = "",
    legal_basis: Annotated[str, Form(max_length=4000)] = "",
    category: Annotated[str, Form(max_length=64)] = "",
    severity: Annotated[str, Form(max_length=16)] = "",
    threshold: Annotated[str, Form(max_length=16)] = "",
    valid_from: Annotated[str, Form(max_length=32)] = "",
    valid_to: Annotated[str, Form(max_length=32)] = "",
) -> ListForm:
    """A dependency reading the form (every field optional: the handler checks CSRF first
    and then says what is missing, in words)."""
    return ListForm(
        name, format, source, legal_basis, category, severity, threshold, valid_from, valid_to
    )


ListFormDep = Annotated[ListForm, Depends(list_form)]


# --- staging of uploads between preview and confirmation ------------------------------
def _staging(request: Request) -> Path:
    folder = get_settings(request).data_dir / "staging" / "watchlists"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _sweep(folder: Path, now: float) -> None:
    """Remove uploads never confirmed: list files are personal data, kept only as needed."""
    for path in folder.glob("*.upload"):
        try:
            if now - path.stat().st_mtime > STAGED_FOR:
                path.unlink()
        except FileNotFoundError:  # another request swept it first
            pass


def _stage(folder: Path, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    _sweep(folder, time.time())
    fd = os.open(folder / f"{sha}.upload", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return sha


def _staged(folder: Path, sha: str) -> bytes | None:
    """The staged bytes, only if they still hash to ``sha`` (else: gone or tampered)."""
    if not _SHA256.match(sha):
        return None
    try:
        data = (folder / f"{sha}.upload").read_bytes()
    except FileNotFoundError:
        return None
    return data if hashlib.sha256(data).hexdigest() == sha else None


def _unstage(folder: Path, sha: str) -> None:
    if _SHA256.match(sha):
        (folder / f"{sha}.upload").unlink(missing_ok=True)


def _read_upload(upload: UploadFile | None) -> tuple[bytes, str] | str:
    """The uploaded bytes and file name, or what is wrong with the upload."""
    if upload is None or not upload.filename:
        return "Choose the list file to upload."
    data = upload.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        return f"The file is larger than {MAX_UPLOAD // (1024 * 1024)} MB."
    if not data:
        return "The file is empty."
    return data, Path(upload.filename).name[:200]


# --- pages ---------------------------------------------------------------------------
@router.get("/watchlists")
def watchlists_page(request: Request, page_user: ReaderPageUser) -> Response:
    # Names, sources and sizes of lists, no entries: not personal data, not audited.
    with get_engine(request).connect() as conn:
        lists = list_watchlists(conn)
        imports = last_imports(conn)
    return render(
        request,
        "watchlists.html",
        page_user,
        title="Watchlists",
        lists=lists,
        imports=imports,
        can_import=page_user.user.has_any_role(WATCHLIST_MANAGERS),
    )


def _import_form(
    request: Request,
    page_user: PageUser,
    form: ListForm,
    *,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    with get_engine(request).connect() as conn:
        names = [w.name for w in list_watchlists(conn)]
    return render(
        request,
        "watchlist_import.html",
        page_user,
        status_code,
        title="Import a watchlist",
        form=form,
        errors=errors or form.errors,
        names=names,
        formats=IMPORTERS,
        severities=SEVERITIES,
        categories=CATEGORIES,
    )


@router.get("/watchlists/import")
def import_form_page(
    request: Request,
    page_user: ManagerPageUser,
    list_name: Annotated[str, Query(alias="list", max_length=64)] = "",
) -> Response:
    """The upload form; ``?list=NAME`` fills in that list's settings for a re-import."""
    form = ListForm(name=list_name)
    if list_name:
        with get_engine(request).connect() as conn:
            info = get_watchlist(conn, list_name)
        if info is not None:
            form = ListForm(
                name=info.name,
                source=info.source or "",
                legal_basis=info.legal_basis or "",
                category=info.category,
                severity=info.severity,
                threshold="" if info.threshold is None else str(info.threshold),
                valid_from=info.valid_from.isoformat() if info.valid_from else "",
                valid_to=info.valid_to.isoformat() if info.valid_to else "",
            )
    return _import_form(request, page_user, form)


def _parse(data: bytes, form: ListForm, file_name: str) -> ImportedList | str:
    try:
        return parse_bytes(data, form.format or None, list_id=form.name, source=file_name)
    except WatchlistFormatError as exc:
        return f"The file was refused, nothing was changed: {exc.describe()}"
    except ValueError as exc:
        return f"The file was refused, nothing was changed: {exc}"


def _last_import_id(request: Request, name: str) -> int:
    """What the preview was computed against: the list's newest import (0: no list yet)."""
    with get_engine(request).connect() as conn:
        info = get_watchlist(conn, name)
        history = import_history(conn, info.id, limit=1) if info else []
    return history[0].id if history else 0


def _preview(
    request: Request,
    page_user: PageUser,
    form: ListForm,
    imported: ImportedList,
    *,
    sha: str,
    file_name: str,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    with get_engine(request).connect() as conn:
        info = get_watchlist(conn, form.name)
        changes = preview_import(conn, form.name, imported)
    base = _last_import_id(request, form.name)
    added, changed, removed = (
        changes.added[:SAMPLE],
        changes.changed[:SAMPLE],
        changes.removed[:SAMPLE],
    )
    audit_page(
        request,
        page_user,
        "page.watchlist_preview",
        subject_type="watchlist",
        subject_id=form.name,
        detail={
            "file": file_name,
            "sha256": sha,
            "entries": [e.id for e in added] + [c.id for c in changed] + [e.id for e in removed],
        },
    )
    return render(
        request,
        "watchlist_preview.html",
        page_user,
        status_code,
        title=f"Import into {form.name}: preview",
        form=form,
        info=info,
        imported=imported,
        changes=changes,
        added=added,
        changed=changed,
        removed=removed,
        warnings=imported.warnings[:20],
        sha=sha,
        file_name=file_name,
        base=base,
        notice=notice,
        format_label=IMPORTERS[imported.format].description,
    )


@router.post("/watchlists/import")
def upload_page(
    request: Request,
    page_user: ManagerPageUser,
    form: ListFormDep,
    csrf_token: CsrfField = "",
    upload: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Step one: parse the upload and show what it would change; nothing is applied."""
    csrf.check(page_user.session.csrf, csrf_token)
    form.settings()
    upload_or_error = _read_upload(upload)
    if isinstance(upload_or_error, str):
        form.errors.append(upload_or_error)
    if form.errors:
        return _import_form(request, page_user, form, status_code=400)
    assert not isinstance(upload_or_error, str)
    data, file_name = upload_or_error
    imported = _parse(data, form, file_name)
    if isinstance(imported, str):
        return _import_form(request, page_user, form, errors=[imported], status_code=400)
    with get_engine(request).connect() as conn:
        exists = get_watchlist(conn, form.name) is not None
    if not exists and not form.legal_basis.strip():
        msg = "A new list needs its legal basis: why the PIU may screen travellers with it."
        return _import_form(request, page_user, form, errors=[msg], status_code=400)
    form.format = imported.format  # the confirmation reads the bytes the same way
    sha = _stage(_staging(request), data)
    return _preview(request, page_user, form, imported, sha=sha, file_name=file_name)


@router.post("/watchlists/import/confirm")
def confirm_page(
    request: Request,
    page_user: ManagerPageUser,
    form: ListFormDep,
    csrf_token: CsrfField = "",
    sha256: Annotated[str, Form(max_length=64)] = "",
    file_name: Annotated[str, Form(max_length=200)] = "",
    base: Annotated[int, Form(ge=0)] = 0,
) -> Response:
    """Step two: apply the previewed difference; the stored travellers of recent and
    upcoming flights are re-screened against it in the background (``Rescreener``)."""
    csrf.check(page_user.session.csrf, csrf_token)
    settings = form.settings()
    if form.errors:
        return _import_form(request, page_user, form, status_code=400)
    folder = _staging(request)
    data = _staged(folder, sha256)
    if data is None:
        msg = "The uploaded file is no longer waiting (applied already, or older than a day)."
        errors = [msg + " Upload it again."]
        return _import_form(request, page_user, form, errors=errors, status_code=400)
    imported = _parse(data, form, file_name)
    if isinstance(imported, str):
        return _import_form(request, page_user, form, errors=[imported], status_code=400)
    if _last_import_id(request, form.name) != base:
        notice = "The list was changed by another import since your preview: check again."
        return _preview(
            request,
            page_user,
            form,
            imported,
            sha=sha256,
            file_name=file_name,
            notice=notice,
            status_code=409,
        )
    engine = get_engine(request)
    applied = import_list(
        engine,
        name=form.name,
        imported=imported,
        by=page_user.name,
        file_name=file_name,
        settings=settings,
        remote=remote_address(request),
    )
    _unstage(folder, sha256)
    if applied.rescreen_due:
        request.app.state.rescreener.kick()
    cfg = get_settings(request)
    return render(
        request,
        "watchlist_imported.html",
        page_user,
        title=f"{form.name} imported",
        name=form.name,
        applied=applied,
        window=(cfg.rescreen_days_back, cfg.rescreen_days_ahead),
        warnings=len(imported.warnings),
    )


def _entry_row(stored: Any) -> dict[str, Any]:
    e = stored.entry
    return {
        "key": e.id,
        "kind": e.kind,
        "names": e.names,
        "weak_names": e.weak_names,
        "dobs": [str(d) for d in e.dobs],
        "nationalities": e.nationalities,
        "gender": e.gender,
        "documents": [f"{d.type or ''}:{d.number}:{d.country or ''}" for d in e.documents],
        "added_at": stored.added_at,
        "changed_at": stored.changed_at,
    }


@router.get("/watchlists/{watchlist_id}")
def watchlist_page(
    request: Request,
    page_user: ReaderPageUser,
    watchlist_id: Id,
    q: Annotated[str, Query(max_length=200)] = "",
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Response:
    with get_engine(request).connect() as conn:
        info = get_watchlist_by_id(conn, watchlist_id)
        if info is None:
            return not_found(request, page_user, f"watchlist {watchlist_id}")
        page = browse_entries(conn, info.id, info.name, query=q, limit=PAGE_SIZE, offset=offset)
        history = import_history(conn, info.id)
    audit_page(
        request,
        page_user,
        "page.watchlist",
        subject_type="watchlist",
        subject_id=info.id,
        detail={"query": q, "offset": offset, "entries": [s.row_id for s in page.items]},
    )
    return render(
        request,
        "watchlist.html",
        page_user,
        title=f"Watchlist {info.name}",
        info=info,
        page=page,
        entries=[_entry_row(s) for s in page.items],
        history=history,
        q=q,
        can_import=page_user.user.has_any_role(WATCHLIST_MANAGERS),
    )
