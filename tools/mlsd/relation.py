"""The case-resource relation, kept in one place: the resources a case cites.

A case names the resources it stands on (`references`, a patch's `references`, a
production example's `reference`); which cases a resource supports is read from there
(Collection.cases_citing), never written on the resource, so the two can never disagree.
"""

from __future__ import annotations

from mlsd.models import Case


def citations(case: Case) -> list[str]:
    """Every resource id the case cites, each once, in the order of the file."""
    cited = [*case.references]
    for patch in case.patches:
        cited += patch.references
    cited += [example.reference for example in case.in_production or []]
    return list(dict.fromkeys(cited))
