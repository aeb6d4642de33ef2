"""Review of hits and what follows from it: cases and their dissemination.

Pure code over plain data (no database, no web): :mod:`piu.review.package` turns the record
of an approved dissemination into the package that leaves the PIU, as JSON for the
recipient's systems and as PDF for its people. Cases are stored by :mod:`piu.store.cases`,
requests, approvals and exports by :mod:`piu.store.disseminations`.
"""
