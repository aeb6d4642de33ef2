"""Scoring one query against one watchlist entry, with an explanation.

The score is the name score of the best-aligned listed name, adjusted by what the date of
birth, nationality, gender and documents say; it is clamped to [0, 1]:

* **Names.** Tokens of the query and of a listed name are aligned one-to-one, in any
  order, greedily by similarity; two adjacent tokens may align with one (GHOLAM ALI ~
  GHOLAMALI), but not with an initial, which stands for one name. Token similarity is
  the best of: an identical rendition (1.0), the second half of an ABD name alone (SAMAD
  for ABDUL SAMAD), spellings equal when H is read as G (IHOR, IGOR: Ukrainian and
  Russian for one letter), the folding keys' similarity (equal keys of spellings that
  share little beyond their consonants, AMIR and UMAR, count less), and for a pair with
  an Arabic-script side the consonant skeletons' similarity. Particles
  (AL, BIN, UULU ...) are ignored; patronymics and initials weigh less (two patronymics
  are compared as the fathers' names, without -OVICH, -EVNA ...: BAKYT UULU is
  BAKYTOVICH); listed tokens
  without a partner (a middle name the traveller did not give) cost a little; query
  tokens without a partner cost their whole weight, except when every listed token is
  aligned (extra names: a fraction, less between aligned tokens than at the edges);
  names left over on both sides conflict and cost more (see ``_finish``).
* **Date of birth** full agreement, day/month swapped, year agreement (one side year only
  or a range) raise the score; a contradiction lowers it strongly.
* **A partial name with nothing to confirm it**: when the best name leaves listed names
  out and there is no date of birth to compare (either side lacks one), each left-out
  name, up to two, costs a little more. MOHAMMAD HASAN is part of many listed names; with
  a date it may still be one of them, without one it is mostly a common name.
* **A partial name in Arabic script** costs more, unless the full date of birth agrees:
  written without vowels, and often without a family name, two common names such as
  محمد حسن fit many listed people (MOHAMMAD HASAN KHODAI, Hasan MOHAMMAD ...).
* **A differing given name confirmed by the full date of birth** (Omar Enrique and Omar
  Arturo ZABALA PADILLA, born the same day) costs nothing: lists and documents often
  disagree on a second given name. A differing surname (the last name) stays a conflict,
  and **last names that align only weakly** (FROLOVA ~ ZHURAVLEVA) lower the score.
* **A name the date of birth confirms** scores at least ``confirmed_by_dob``, just above
  the default threshold, before nationality, gender and documents: only given names
  differ and the surname and the full date of birth agree (Ruben and Nemesio OSEGUERA
  CERVANTES), or every listed name is given, with more, and the date or year of birth
  agrees (Ali ABDOLLAHI ALIABADI for Ali ABDOLLAHI), unless the entry gives a longer
  name that ends otherwise, or the traveller joins two names of the entry and the date
  agrees (Abderrezak Le Para: Abderrezak ZAIMECHE, El Para), or, where both names
  say which words are surnames, only the second surname differs and the full date
  agrees (Daniel RODRIGUEZ MORFIN for Daniel RODRIGUEZ OLIVERA; see
  ``_confirmed_by_dob``).
* **Nationality** agreement raises slightly, contradiction lowers; unknown is neutral.
* **Gender** contradiction lowers; **documents** equal (or equal up to O/0, I/1 keying
  confusions) raise strongly.

All weights live in :class:`ScoringConfig`, so a change is a new algorithm version.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Final, TypeVar, cast

from rapidfuzz.distance import Indel
from rapidfuzz.process import extract as _extract

from .keys import fold_key, other_orthographies
from .model import DateOfBirth, Document, Match, NameAlignment, Query, TokenPair, WatchlistEntry
from .names import NameForm, Token, analyse_token, patronymic_parts
from .scripts import ARABIC, LATIN
from .translit import arabic_shape_agrees

__all__ = [
    "QueryScorer",
    "ScoringConfig",
    "align_names",
    "best_name_score",
    "compare_dob",
    "compare_documents",
    "compare_gender",
    "compare_nationality",
    "entry_features",
    "entry_view",
    "given_name_relief",
    "name_score",
    "score_entry",
    "token_similarity",
]


_T = TypeVar("_T")
_K = TypeVar("_K")


@dataclass(frozen=True, slots=True)
class ScoringConfig:
    """Weights of the scoring; see the module docstring."""

    min_token_similarity: float = 0.3
    fuzzy_slope: float = 2.5
    key_equal: float = 0.95
    # equal keys of three letters or more whose spellings are less similar than this
    # (Indel; not for Arabic script) count at least key_equal_far (see _fuzzy_similarity)
    key_equal_spelling: float = 0.65
    key_equal_far: float = 0.75
    # a pair with an Arabic-script side whose shapes disagree (ISLAM and سالم: another
    # first letter, or a long vowel the Arabic lacks) counts this share of its similarity,
    # less than key_equal_far even for equal skeletons (see _arabic_shapes_agree)
    arabic_shape_factor: float = 0.75
    short_key_equal: float = 0.85
    compound_part_equal: float = 0.85
    g_h_equal: float = 0.9
    cognate_equal: float = 0.9
    # a spelling of prefix_min letters or more that begins the other's (_shortened)
    prefix_equal: float = 0.55
    # a name and its nisba, the same with -I (AL-ATRUSH, AL-ATRUSHI: see _nisba)
    nisba_equal: float = 0.85
    prefix_min: int = 5
    skeleton_equal_arabic: float = 0.94
    skeleton_equal_latin: float = 0.88
    unmatched_query_name: float = 0.05
    extra_query_weight: float = 0.25
    extra_query_edge_weight: float = 0.6
    conflict_penalty: float = 0.08
    weak_pair_level: float = 0.75
    weak_pair_slope: float = 0.0
    role_weight_patronymic: float = 0.6
    role_weight_initial: float = 0.3
    unmatched_listed_name: float = 0.06
    unmatched_listed_patronymic: float = 0.015
    unmatched_listed_cap: float = 0.18
    unconfirmed_partial_name: float = 0.05
    # a name in Arabic script that leaves listed names out, unless the full date of birth
    # agrees, costs this much (see score_entry)
    partial_arabic_name: float = 0.1
    # a differing given name confirmed by the full date of birth costs this share of its
    # penalties less (see _only_a_given_name_differs)
    confirmed_given_name: float = 1.0
    # a name the date of birth confirms scores at least this before nationality, gender and
    # documents, just above the default threshold; its names align at confirmed_level or
    # more (see _confirmed_by_dob)
    confirmed_by_dob: float = 0.81
    confirmed_level: float = 0.9
    # ... but not a surname that more listed people share than this (see _confirmed_by_dob)
    confirmed_surname_sharing: int = 200
    # a name taken from another of the entry's names confirms with the year of birth when
    # no more listed people than this share it (see _confirmed_by_dob)
    borrowed_name_sharing: int = 10
    # a listed name of one word confirms with the full date of birth when no more listed
    # people than this share it, with the year when no more than ..._year (see
    # _confirmed_by_dob)
    single_name_sharing: int = 50
    single_name_sharing_year: int = 2
    # last names aligned below this similarity cost that much (see _last_names_pair)
    differing_last_name: float = 0.1
    differing_last_name_below: float = 0.55
    single_token_factor: float = 0.88
    weak_name_factor: float = 0.92
    dob_full: float = 0.08
    dob_swapped: float = 0.05
    dob_year: float = 0.03
    dob_range: float = 0.02
    dob_near_year: float = -0.04
    dob_same_year_month: float = -0.04
    dob_same_year: float = -0.08
    dob_contradicts: float = -0.25
    nationality_agrees: float = 0.02
    nationality_contradicts: float = -0.05
    gender_contradicts: float = -0.12
    document_exact: float = 0.25
    document_confusable: float = 0.15


DEFAULT_CONFIG: Final = ScoringConfig()

# renditions that are another form of the name, not a spelling of it (names.analyse_token),
# and how an alignment says so
_OTHER_FORMS: Final = {
    "cognate": "the same name in another language",
    "korean": "the same Korean surname, North and South (RI, YI, LEE)",
    "persian-z": "the same name, its Persian or Turkic Z for the Arabic D (RAMAZAN, RAMADAN)",
    "somali": "the same name in Somali spelling (AADAN, ADAM)",
}
# token_similarity(a, b) as _SIM_CACHE[a][b]: one dict per query token rather than a
# tuple key per pair, so the garbage collector has far fewer containers to track
_SIM_CACHE: Final[dict[Token, dict[Token, tuple[float, str]]]] = {}
_SIM_CACHE_MAX: Final = 2_000_000
# what QueryScorer.matrix counts for a pair, _MATRIX_CACHE[a][b]: the similarity, or 0.0
# below min_token_similarity (such pairs are mostly not compared at all, see matrix)
_MATRIX_CACHE: Final[dict[Token, dict[Token, float]]] = {}
_SIM_HELD: Final = [0]  # pairs held in both (about: clearing leaves it as it was)
# the weights both caches hold values for: another config empties them first
_CACHED_FOR: Final = [DEFAULT_CONFIG]


def _use_config(config: ScoringConfig) -> None:
    """Make the caches hold values for ``config`` (emptied when it differs)."""
    if config is not _CACHED_FOR[0] and config != _CACHED_FOR[0]:
        clear_similarity_cache()
        _CACHED_FOR[0] = config


def _sim_row(a: Token) -> dict[Token, tuple[float, str]]:
    """``a``'s row of the similarity cache (made empty if missing)."""
    row = _SIM_CACHE.get(a)
    if row is None:
        _bound_caches()
        row = _SIM_CACHE[a] = {}
    return row


def _matrix_row(a: Token) -> dict[Token, float]:
    """``a``'s row of the matrix cache (made empty if missing)."""
    row = _MATRIX_CACHE.get(a)
    if row is None:
        _bound_caches()
        row = _MATRIX_CACHE[a] = {}
    return row


def _bound_caches() -> None:
    """Empty both caches when they hold more than ``_SIM_CACHE_MAX`` pairs."""
    if _SIM_HELD[0] > _SIM_CACHE_MAX:
        clear_similarity_cache()


def clear_similarity_cache() -> None:
    """Forget every cached token similarity."""
    _SIM_CACHE.clear()
    _MATRIX_CACHE.clear()
    _SIM_HELD[0] = 0


_indel: Final = Indel.normalized_similarity
# Keys shorter than this are not compared letter by letter: KIM/KU (KAM/KA) or KAN/CAO
# (KAN/KA) share most of their few letters and still name different families.
_MIN_FUZZY_KEY: Final = 4


def token_similarity(
    a: Token, b: Token, config: ScoringConfig = DEFAULT_CONFIG
) -> tuple[float, str]:
    """``(similarity in [0, 1], method)`` for two tokens; cached."""
    if config is not _CACHED_FOR[0]:
        _use_config(config)
    row = _sim_row(a)
    hit = row.get(b)
    if hit is not None:
        return hit
    result = row[b] = _token_similarity(a, b, config)
    _SIM_HELD[0] += 1
    return result


def _graded(raw: float, config: ScoringConfig) -> float:
    """Map a raw string similarity onto evidence: 0.9 -> 0.75, 0.8 -> 0.5, <= 0.6 -> 0."""
    v = 1.0 - (1.0 - raw) * config.fuzzy_slope
    return v if v > 0.0 else 0.0


def _token_similarity(a: Token, b: Token, config: ScoringConfig) -> tuple[float, str]:
    if a.role == "initial" or b.role == "initial":
        fb = {r[:1] for r in b.renditions}
        return (0.9, "initial") if any(r[:1] in fb for r in a.renditions) else (0.0, "initial")
    if a.native == b.native:
        return 1.0, "exact"
    brend = b.renditions
    other = ""
    for r, system in zip(a.renditions, a.systems):
        if r in brend:
            b_system = b.systems[brend.index(r)]
            if system not in _OTHER_FORMS and b_system not in _OTHER_FORMS:
                return 1.0, "transliteration"
            other = system if system in _OTHER_FORMS else b_system
    if other:  # PAVLO and PAVEL, MYKOLA and MIKALAI (cognates); RI and YI (Korean)
        return config.cognate_equal, _OTHER_FORMS[other]
    if config.compound_part_equal and (
        (a.part_keys and not a.part_keys.isdisjoint(b.keys))
        or (b.part_keys and not b.part_keys.isdisjoint(a.keys))
    ):
        # a man named Abd al-Samad is often called by the second half alone (SAMAD, or
        # SAMMAD: the keys of the half are compared)
        return config.compound_part_equal, "compound part"
    if config.g_h_equal and (a.g_forms or b.g_forms):
        # equal once a lone H is read as G (IHOR, IGOR): with no H on either side they
        # would be equal spellings, handled above
        ga = a.g_forms or _long(a)
        gb = b.g_forms or _long(b)
        if (
            b.script != ARABIC
            and a.script != ARABIC
            and (
                not ga.isdisjoint(gb)
                # or keys that only the G makes equal, spelled alike (else as fuzzy says)
                or (
                    set(a.keys).isdisjoint(b.keys)
                    and _keys_alike(ga, gb, config.key_equal_spelling)
                )
            )
        ):
            return config.g_h_equal, "G/H (Russian and Ukrainian Г)"
    arabic = a.script == ARABIC or b.script == ARABIC
    s, method = _fuzzy_similarity(a, b, config, arabic)
    if config.nisba_equal > s and not arabic and _nisba(a, b):
        return config.nisba_equal, "nisba (the family's name with -I)"
    if config.prefix_equal > s and not arabic and _shortened(a, b, config.prefix_min):
        return config.prefix_equal, "shortened"
    if arabic and s > 0.0 and not _arabic_shapes_agree(a, b):
        s *= config.arabic_shape_factor
    return s, method


def _nisba(a: Token, b: Token) -> bool:
    """Is one name the other, of four letters or more and ending in a consonant, with
    the -I (or -Y) of the Arabic nisba added (AL-ATRUSH and AL-ATRUSHI, AL-JUMAIL and
    AL-JUMAILY)? A family or tribe named after a place or a forebear is written both
    ways, often for one man on one list."""
    if a.role != "name" or b.role != "name":
        return False
    for ra in a.renditions:
        for rb in b.renditions:
            short, whole = (ra, rb) if len(ra) < len(rb) else (rb, ra)
            if (
                len(whole) == len(short) + 1
                and len(short) >= 4
                and whole[-1] in "IY"
                and short[-1] not in _VOWELS_Y
                and whole.startswith(short)
            ):
                return True
    return False


def _shortened(a: Token, b: Token, n: int) -> bool:
    """Is a spelling of one name, of ``n`` letters or more, the beginning of the other's?
    Given names are shortened so (KAKHA for KAKHABER, GHODRAT for GHODRATOLLAH, AKHUND
    for AKHUNDZADA), and so are long surnames (NAZARI for NAZARIKOLEHJOUB)."""
    if a.role != "name" or b.role != "name":
        return False
    for ra in a.renditions:
        for rb in b.renditions:
            short, whole = (ra, rb) if len(ra) < len(rb) else (rb, ra)
            if len(short) >= n and whole.startswith(short):
                return True
    return False


def _keys_alike(xs: frozenset[str], ys: frozenset[str], level: float) -> bool:
    """Do two spellings share a folding key and spell it alike (Indel ``level`` or more),
    as equal keys count in full (HUBARYEV read with G, and GUBAREV; ALEG and OLEG)?"""
    # spelled alike first: rarer than a shared key, and it needs no folding
    return any(_indel(x, y) >= level and fold_key(x) == fold_key(y) for x in xs for y in ys)


def _read_alike(a: Token, b: Token, level: float) -> bool:
    """Do two names written in Latin letters spell alike (Indel ``level`` or more) once
    read in the other orthographies their keys allow for (:func:`~.keys.other_orthographies`:
    Egyptian GARGEES is JARJEES, and JARJES spells that alike)?"""
    if a.script != LATIN or b.script != LATIN:
        return False
    xs = {x for r in a.renditions for x in (r, *other_orthographies(r))}
    ys = {y for r in b.renditions for y in (r, *other_orthographies(r))}
    return any(_indel(x, y) >= level for x in xs for y in ys)


def _spelling(a: Token, b: Token) -> float:
    """The best Indel similarity of two tokens' renditions."""
    return max(_indel(ra, rb) for ra in a.renditions for rb in b.renditions)


def _fathers_names(a: Token, b: Token, config: ScoringConfig) -> tuple[float, str]:
    """Two patronymics (keys unequal) are as alike as the fathers' names they hold: a
    shared ending says nothing (YEVGENYEVICH is not IVANOVICH), and the Kyrgyz, Kazakh or
    Uzbek form is the Russian one (BAKYT UULU is BAKYTOVICH, BAKYT KYZY is BAKYTOVNA)."""
    fa, fb = _fathers(a), _fathers(b)
    ga, gb = fa[0][1], fb[0][1]
    if ga and gb and ga != gb:
        return 0.0, "father's name, other gender"  # ANATOLYEVNA is a sister, not him
    # the fathers' names analysed as names (VOLODYMYR and VLADIMIR compare as names do);
    # keys only for equality: once the endings are gone, folded vowels make too many
    # short names alike (YEVGEN and IVAN: AVGAN, AVAN)
    s = max(
        _fuzzy_similarity(analyse_token(x, LATIN), analyse_token(y, LATIN), config, False,
                          fuzzy_keys=False)[0]
        for x, _ in fa
        for y, _ in fb
    )  # fmt: skip
    return min(s, config.key_equal), "father's name"


def _fathers(t: Token) -> list[tuple[str, str]]:
    """(father's name, gender) of each of a patronymic's renditions, without repeats."""
    return list(dict.fromkeys(patronymic_parts(r) for r in t.renditions))


def _long(t: Token) -> frozenset[str]:
    """A token's spellings of four letters or more (the G/H rule's reach)."""
    return frozenset(r for r in t.renditions if len(r) >= 4)


def _arabic_shapes_agree(a: Token, b: Token) -> bool:
    """For a pair with an Arabic-script side: does what the consonant skeleton ignores
    (the first letter, long vowels) agree? See :func:`translit.arabic_shape_agrees`."""
    if a.script == ARABIC and b.script == ARABIC:
        fa, fb = a.native[:1], b.native[:1]
        return fa == fb or (fa in _AR_VOWEL_ONSETS and fb in _AR_VOWEL_ONSETS)
    ar, other = (a, b) if a.script == ARABIC else (b, a)
    return any(arabic_shape_agrees(ar.native, r) for r in other.renditions)


_AR_VOWEL_ONSETS: Final = frozenset("اع")
_VOWELS_Y: Final = frozenset("AEIOUY")


def _fuzzy_similarity(
    a: Token, b: Token, config: ScoringConfig, arabic: bool, fuzzy_keys: bool = True
) -> tuple[float, str]:
    """Key equality, then the best graded similarity of renditions, keys (unless not
    ``fuzzy_keys``) and skeletons."""
    brend = b.renditions
    bkeys = b.keys
    short_equal = far_equal = False
    for ka in a.keys:
        if ka in bkeys:
            if len(ka) < 3:
                short_equal = True
            elif (
                arabic
                or _spelling(a, b) >= config.key_equal_spelling
                or _read_alike(a, b, config.key_equal_spelling)
            ):
                return config.key_equal, "key"
            else:
                # the key forgives vowels; spellings that share little more than their
                # consonants (AMIR and UMAR, KARIM and KIRAM, HASAN and HUSAYN) may be two
                # names: what else agrees decides, and the key only sets a floor
                far_equal = True
    if a.role == "patronymic" and b.role == "patronymic":
        return _fathers_names(a, b, config)
    # graded(raw) is 0 for raw <= 1 - 1/slope: ask rapidfuzz only for better than that
    floor = 1.0 - 1.0 / config.fuzzy_slope
    best, method = floor, "spelling"
    for ra in a.renditions:
        for rb in brend:
            s = _indel(ra, rb, score_cutoff=best)
            if s > best:
                best = s
    if best < 0.98 and fuzzy_keys:
        for ka in a.keys:
            for kb in bkeys:
                if len(ka) < _MIN_FUZZY_KEY or len(kb) < _MIN_FUZZY_KEY or ka == kb:
                    continue
                s = _indel(ka, kb, score_cutoff=best / 0.98) * 0.98
                if s > best:
                    best, method = s, "key"
    best = _graded(best, config)
    if short_equal and config.short_key_equal > best:
        best, method = config.short_key_equal, "key"
    if far_equal and config.key_equal_far > best:
        best, method = config.key_equal_far, "key, vowels differ"
    for sa in a.skeletons:
        for sb in b.skeletons:
            if sa == sb and (len(sa) >= 3 or (arabic and len(sa) == 2)):
                s = config.skeleton_equal_arabic if arabic else config.skeleton_equal_latin
                if len(sa) == 2:
                    s *= 0.9
            elif arabic:
                s = _graded(_indel(sa, sb), config) * config.skeleton_equal_arabic
            else:
                continue
            if s > best:
                best, method = s, "skeleton"
    return best, method


def _weight(t: Token, config: ScoringConfig, idf: Callable[[Token], float] | None) -> float:
    if t.role == "patronymic":
        w = config.role_weight_patronymic
    elif t.role == "initial":
        return config.role_weight_initial
    else:
        w = 1.0
    return w * (idf(t) if idf is not None else 1.0)


_Cand = tuple[float, int, tuple[int, ...], tuple[int, ...], str]
# alignment candidates go best similarity first, then the pair covering more tokens
_SCORE_SIZE: Final = itemgetter(0, 1)


def _align_core(
    query: NameForm,
    listed: NameForm,
    weak: bool,
    config: ScoringConfig,
    idf: Callable[[Token], float] | None,
    keep_glued: Callable[[Token], bool] | None = None,
) -> tuple[float, list[_Cand], set[int], set[int]]:
    """The alignment's score and the chosen pairs (no explanation objects built); the
    query's glued pairs only where ``keep_glued`` says so (as :class:`QueryScorer`)."""
    qt = query.main_tokens
    lt = listed.main_tokens
    cands: list[_Cand] = []
    min_sim = config.min_token_similarity
    _use_config(config)
    for qspan, qtok in query.items:
        q2 = len(qspan) == 2
        if q2 and keep_glued is not None and not keep_glued(qtok):
            continue
        no_pair = q2 or qtok.role == "initial"  # an initial stands for one name
        cache = _SIM_CACHE.get(qtok) or {}
        # pairs QueryScorer.matrix found below min_sim (mostly without comparing them)
        below = _MATRIX_CACHE.get(qtok) or {}
        for lspan, ltok in listed.items:
            if (no_pair and len(lspan) == 2) or (q2 and ltok.role == "initial"):
                continue
            hit = cache.get(ltok)
            if hit is None:
                if min_sim > 0.0 and below.get(ltok) == 0.0:
                    continue  # below min_sim: it would not be a candidate pair
                hit = token_similarity(qtok, ltok, config)
            s = hit[0]
            if s >= min_sim:
                cands.append((s, len(qspan) + len(lspan), qspan, lspan, hit[1]))
    cands.sort(key=_SCORE_SIZE, reverse=True)
    used_q: set[int] = set()
    used_l: set[int] = set()
    chosen: list[_Cand] = []
    matched = 0.0
    nq, nl = len(qt), len(lt)
    for c in cands:
        qspan, lspan = c[2], c[3]
        if used_q.intersection(qspan) or used_l.intersection(lspan):
            continue
        used_q.update(qspan)
        used_l.update(lspan)
        matched += c[0] * sum(_weight(qt[i], config, idf) for i in qspan)
        chosen.append(c)
        if len(used_q) == nq or len(used_l) == nl:
            break
    weights = [_weight(t, config, idf) for t in qt]
    single = sum(1 for t in qt if t.role != "initial") < 2 or nl < 2
    score = _finish(config, matched, weights, [t.role for t in qt], [t.role for t in lt],
                    used_q, used_l, [c[0] for c in chosen], single, weak)  # fmt: skip
    return score, chosen, used_q, used_l


def _finish(
    cfg: ScoringConfig,
    matched: float,
    weights: list[float],
    qroles: list[str] | tuple[str, ...],
    lroles: list[str] | tuple[str, ...],
    used_q: set[int],
    used_l: set[int],
    sims: list[float],
    single: bool,
    weak: bool,
) -> float:
    """The name score of an alignment: matched query weight over the query's weight, less
    what the unaligned and weakly aligned tokens cost.

    * Listed tokens without partner (a middle name the traveller did not give) cost a
      little each, capped.
    * When every listed name token is aligned, query tokens without partner are extra
      names the list does not give. Between aligned tokens (a further middle name) they
      count only ``extra_query_weight`` of their weight in the denominator; before the
      first or after the last (a surname or given name the listed name lacks, which may
      be another person's) ``extra_query_edge_weight``, and each such name token costs
      ``unmatched_query_name`` too. A name between aligned ones (a father's or
      grandfather's name in a chain the list shortens) does not.
    * When both sides keep name tokens without partner, each such pair is a conflict (a
      different name in the same slot: the given name of one person with the surname of
      another) and costs ``conflict_penalty``, on top of the full weight.
    * An aligned pair below ``weak_pair_level`` is half a conflict: it costs
      ``weak_pair_slope`` times its shortfall.
    """
    total = 0.0
    extra = 0.0
    n_uq = n_uq_any = 0
    lo = min(used_q, default=0)
    hi = max(used_q, default=0)
    inner = 1.0 - cfg.extra_query_weight
    edge = 1.0 - cfg.extra_query_edge_weight
    for i, w in enumerate(weights):
        total += w
        if i not in used_q:
            between = lo < i < hi
            extra += w * (inner if between else edge)
            if qroles[i] == "name":
                n_uq += not between
                n_uq_any += 1
            elif qroles[i] == "patronymic":
                n_uq_any += 1
    n_ul = 0
    penalty = 0.0
    for i, role in enumerate(lroles):
        if i not in used_l:
            if role == "name":
                n_ul += 1
                penalty += cfg.unmatched_listed_name
            elif role == "patronymic":
                n_ul += 1
                penalty += cfg.unmatched_listed_patronymic
    denom = total if n_ul else total - extra
    score = matched / denom if denom > 0.0 else 0.0
    score -= min(penalty, cfg.unmatched_listed_cap)
    score -= cfg.unmatched_query_name * n_uq
    score -= cfg.conflict_penalty * min(n_uq_any, n_ul)
    level = cfg.weak_pair_level
    for s in sims:
        if s < level:
            score -= cfg.weak_pair_slope * (level - s)
    if single:
        score *= cfg.single_token_factor
    if weak:
        score *= cfg.weak_name_factor
    return max(0.0, min(1.0, score))


class QueryScorer:
    """Scores one query name against many listed names, fast, with the same arithmetic
    as :func:`align_names`.

    Token similarities are looked up once per (query item, distinct listed token) of an
    entry (:func:`entry_view`), an upper bound (every query token paired with its best
    listed token, penalties ignored) skips names and entries that cannot reach the
    score asked for, and no explanation objects are built.
    """

    __slots__ = ("alpha", "config", "cutoff", "form", "glued", "idf", "item_w", "items",
                 "last_mat", "last_view", "long_skels", "n_named", "no_pair", "prefixed",
                 "roles", "rows", "simple", "surname", "token_items", "total", "two_given",
                 "two_surnames", "weights")  # fmt: skip

    def __init__(
        self,
        form: NameForm,
        config: ScoringConfig = DEFAULT_CONFIG,
        idf: Callable[[Token], float] | None = None,
        keep_glued: Callable[[Token], bool] | None = None,
    ) -> None:
        self.form = form
        self.config = config
        self.idf = idf
        qt = form.main_tokens
        self.weights = [_weight(t, config, idf) for t in qt]
        self.total = sum(self.weights)
        self.roles = tuple(t.role for t in qt)
        self.alpha = min(config.extra_query_weight, config.extra_query_edge_weight, 1.0)
        # a glued pair of the query is aligned only where ``keep_glued`` says so (not
        # where the list holds no name like it: NameIndex.aligns_glued)
        self.items = (
            form.items
            if keep_glued is None
            else tuple(it for it in form.items if len(it[0]) == 1 or keep_glued(it[1]))
        )
        self.item_w = [sum(self.weights[i] for i in span) for span, _ in self.items]
        self.token_items = [
            [k for k, (span, _) in enumerate(self.items) if i in span] for i in range(len(qt))
        ]
        self.n_named = sum(1 for t in qt if t.role != "initial")
        self.surname = surname_at(form)  # the query's surname's place (confirmable)
        # two given names or more beside two surnames: the year may confirm (confirmable)
        self.two_given = (
            sum(1 for i, t in enumerate(qt) if i not in form.surnames and t.role != "initial") >= 2
        )
        # the items of two surnames (confirmable)
        self.two_surnames = (
            [k for i in form.surnames for k in self.token_items[i]]
            if len(form.surnames) == 2
            else []
        )
        # the matrix of the last entry aligned (confirmable, then best, ask for it twice)
        self.last_view: EntryView | None = None
        self.last_mat: list[list[float]] = []
        _use_config(config)
        self.rows = [_matrix_row(t) for _, t in self.items]
        # the raw string similarity below which no comparison reaches min_token_similarity
        # (renditions: graded; keys and Arabic skeletons are scaled down further)
        self.cutoff = 1.0 - (1.0 - max(config.min_token_similarity, 0.0)) / config.fuzzy_slope
        self.simple = [_simple(t) for _, t in self.items]
        # items that never align with a glued listed pair: a glued pair, an initial (which
        # stands for one name); a glued pair never aligns with a listed initial (_aligned)
        self.no_pair = [len(span) == 2 or t.role == "initial" for span, t in self.items]
        self.glued = [len(span) == 2 for span, _ in self.items]
        self.long_skels = [{x for x in t.skeletons if len(x) >= 3} for _, t in self.items]
        # each item's spellings that may begin another name's (_shortened)
        self.prefixed = [
            [r for r in t.renditions if len(r) >= config.prefix_min]
            if config.prefix_equal and t.role == "name" and t.script != ARABIC
            else []
            for _, t in self.items
        ]

    def matrix(self, view: EntryView) -> list[list[float]]:
        """Similarity (0 below ``min_token_similarity``) of each query item to each token
        of the entry's vocabulary.

        A pair of tokens that are not initials, whose natives and long (>= 3) skeletons
        differ, neither of which has a compound part keyed as the other (SAMAD, ABDUL
        SAMAD) nor a spelling whose first ``prefix_min`` letters begin one of the other's
        (KAKHA, KAKHABER), and whose renditions, keys and (when a side is Arabic script) skeletons
        are less similar than ``cutoff`` (found for all of an entry's tokens at once, by
        rapidfuzz) gets less than ``min_token_similarity`` from :func:`token_similarity`:
        no comparison there can reach it. Such pairs count 0 without the pairwise
        comparison. What the matrix counts for a pair is cached apart from
        :func:`token_similarity`'s own cache, as a plain number."""
        vocab, flat = view.vocab, view.flat
        min_sim = self.config.min_token_similarity
        out: list[list[float]] = []
        for k, ((_, qtok), row) in enumerate(zip(self.items, self.rows)):
            vals = list(map(row.get, vocab))  # known pairs in one pass, missing as None
            if None in vals:
                self._fill(k, qtok, row, vocab, flat, vals, min_sim)
            out.append(cast(list[float], vals))  # _fill replaced every None
        return out

    def _aligned(self, view: EntryView) -> list[list[float]]:
        """:meth:`matrix`, where a glued pair of the query meets a listed initial, 0: an
        initial stands for one name (the other way round, :meth:`best` and :meth:`_score`
        skip the listed glued pairs)."""
        if view is self.last_view:
            return self.last_mat
        mat = self.matrix(view)
        vocab, hard = view.vocab, view.flat[4]  # initials are among the tokens compared one by one
        initials = [j for j in hard if vocab[j].role == "initial"]
        if initials:
            for k, glued in enumerate(self.glued):
                if glued:
                    row = mat[k]
                    for j in initials:
                        row[j] = 0.0
        self.last_view, self.last_mat = view, mat
        return mat

    def _fill(
        self,
        k: int,
        qtok: Token,
        row: dict[Token, float],
        vocab: tuple[Token, ...],
        flat: _Flat,
        vals: list[float | None],
        min_sim: float,
    ) -> None:
        """Fill the ``None`` of ``vals`` (item ``k``'s row over ``vocab``, whose
        :data:`_Flat` is ``flat``), comparing only the pairs :meth:`_flagged` names."""
        flagged = self._flagged(k, qtok, flat)
        every = flagged is _EVERY
        for j, v in enumerate(vals):
            if v is not None:
                continue
            t = vocab[j]
            s = token_similarity(qtok, t, self.config)[0] if every or j in flagged else 0.0
            row[t] = vals[j] = s if s >= min_sim else 0.0
            _SIM_HELD[0] += 1

    def _flagged(self, k: int, qtok: Token, flat: _Flat) -> Container[int]:
        """Positions of the vocabulary tokens that :func:`token_similarity` must compare
        with query item ``k`` (see :meth:`matrix`)."""
        (rends, rend_owner, keys, key_owner, hard, by_native, by_skel, sk_all, sk_owner, n_ar,
         by_key, by_part, patronymics) = flat  # fmt: skip
        if not self.simple[k]:
            return _EVERY
        cut = self.cutoff
        out = set(hard)
        # skeletons count graded when either side is Arabic script (the Arabic tokens'
        # skeletons come first in ``sk_all``)
        arabic = qtok.script == ARABIC
        sk_choices = sk_all if arabic else sk_all[:n_ar]
        if sk_choices:
            for sa in qtok.skeletons:
                for _, _, j in _extract(sa, sk_choices, scorer=_indel, processor=None,
                                        score_cutoff=cut, limit=None):  # fmt: skip
                    out.add(sk_owner[j])
        for ra in qtok.renditions:
            for _, _, j in _extract(ra, rends, scorer=_indel, processor=None,
                                    score_cutoff=cut, limit=None):  # fmt: skip
                out.add(rend_owner[j])
        for ka in qtok.keys:
            for _, _, j in _extract(ka, keys, scorer=_indel, processor=None,
                                    score_cutoff=cut, limit=None):  # fmt: skip
                out.add(key_owner[j])
        out.update(by_native.get(qtok.native, ()))
        for sa in self.long_skels[k]:
            out.update(by_skel.get(sa, ()))
        if by_part:  # the short name of a listed compound (SAMAD for ABDUL SAMAD)
            for ka in qtok.keys:
                out.update(by_part.get(ka, ()))
        for pk in qtok.part_keys:  # the query's compound, a listed short name
            out.update(by_key.get(pk, ()))
        if qtok.role == "patronymic":  # compared by the fathers' names (_fathers_names)
            out.update(patronymics)
        n = self.config.prefix_min
        for ra in self.prefixed[k]:  # spellings that begin alike (_shortened)
            begin = ra[:n]
            for j, rb in enumerate(rends):
                if rb.startswith(begin):
                    out.add(rend_owner[j])
        return out

    def _bound(self, item_best: list[float]) -> float:
        """An upper bound of the name score, penalties ignored: each query token aligned
        with its best partner or left out. A left-out token may count only ``alpha`` of
        its weight (:func:`_finish`), so the best ratio is over the tokens taken in order
        of their best similarity (a prefix; fractional programming)."""
        rw: list[tuple[float, float]] = []
        for w, ks in zip(self.weights, self.token_items):
            r = 0.0
            for k in ks:
                if item_best[k] > r:
                    r = item_best[k]
            rw.append((r, w))
        if not self.total:
            return 0.0
        rw.sort(reverse=True)
        alpha = self.alpha
        num = 0.0
        den = alpha * self.total
        ub = 0.0
        for r, w in rw:
            if r <= 0.0:
                break
            num += r * w
            den += (1.0 - alpha) * w
            if den > 0.0 and num / den > ub:
                ub = num / den
        return ub

    def confirmable(
        self,
        view: EntryView,
        level: float,
        full: bool,
        rare: Callable[[Token], bool] | None = None,
    ) -> bool:
        """Could the date of birth confirm a name of this entry (``_confirmed_by_dob``)?
        Every case needs a listed name each of whose names a query item reaches at
        ``level`` or more (for a year, not a weak one of two names or more), or each query name
        reaching a name of the entry at ``level``, or, with the ``full`` date, the
        query's surname reaching a listed name's surname at ``level``, or one of its two
        surnames reaching any listed name at ``level``. Errs towards yes: it
        only spares aligning candidates that cannot be confirmed."""
        mat = self._aligned(view)
        if not mat:
            return False
        if (full or self.two_given) and any(max(mat[k]) >= level for k in self.two_surnames):
            return True  # the other surname may differ (_one_surname_differs)
        item_reach = [max(row) for row in mat]
        if all(any(item_reach[k] >= level for k in ks) for ks in self.token_items):
            return True  # each name is one the entry lists (_named_elsewhere)
        best_v = [max(col) for col in zip(*mat, strict=True)]
        vocab = view.vocab
        last_items = self.token_items[self.surname] if full and self.token_items else []
        for litems, lroles, weak, surnames in view.forms:
            n = len(lroles)
            if not n:
                continue
            if not full and n >= 2 and weak:
                continue  # a year confirms no weak name of two words or more
            if not full and n == 1 and (rare is None or not rare(vocab[litems[0][1]])):
                continue  # ... nor a name of one word that many listed people bear
            covered: set[int] = set()
            for span, v in litems:
                if best_v[v] >= level:
                    covered.update(span)
                    if any(i in span for i in surnames) and any(
                        mat[k][v] >= level for k in last_items
                    ):
                        return True  # the last names may pair (only given names differ)
            if len(covered) == n:
                return True
        return False

    def best(self, view: EntryView, at_least: float = -1.0) -> tuple[float, int]:
        """``(score, position)`` of the best listed name of an entry, as
        :func:`best_name_score` gives it; names whose score is certainly below
        ``at_least`` are skipped, and ``(0.0, -1)`` is returned when all are."""
        vocab, forms = view.vocab, view.forms
        if not self.items or not vocab:
            return (0.0, 0) if forms and at_least <= 0.0 else (0.0, -1)
        mat = self._aligned(view)
        entry_best = [max(row) for row in mat]
        if self._bound(entry_best) < at_least:
            return 0.0, -1
        cfg = self.config
        best, at = -1.0, -1
        for pos, (litems, lroles, weak, _) in enumerate(forms):
            if not litems:
                if best < 0.0:
                    best, at = 0.0, pos
                continue
            single = self.n_named < 2 or len(lroles) < 2
            factor = (cfg.single_token_factor if single else 1.0) * (
                cfg.weak_name_factor if weak else 1.0
            )
            item_best = []
            for k, row in enumerate(mat):
                no_pair = self.no_pair[k]
                m = 0.0
                for lspan, v in litems:
                    if no_pair and len(lspan) == 2:
                        continue
                    if row[v] > m:
                        m = row[v]
                item_best.append(m)
            ub = min(1.0, self._bound(item_best) * factor + 1e-9)
            if ub <= best or ub < at_least:
                continue
            s = self._score(mat, litems, lroles, single, weak)
            if s > best:
                best, at = s, pos
                if s >= 1.0:
                    break
        if at < 0:
            return 0.0, -1
        return max(best, 0.0), at

    def _score(
        self,
        mat: list[list[float]],
        litems: tuple[tuple[tuple[int, ...], int], ...],
        lroles: tuple[str, ...],
        single: bool,
        weak: bool,
    ) -> float:
        cfg = self.config
        cands: list[tuple[float, int, tuple[int, ...], tuple[int, ...], int]] = []
        for k, (qspan, _) in enumerate(self.items):
            no_pair = self.no_pair[k]
            row = mat[k]
            for lspan, v in litems:
                if no_pair and len(lspan) == 2:
                    continue
                s = row[v]
                if s > 0.0:
                    cands.append((s, len(qspan) + len(lspan), qspan, lspan, k))
        cands.sort(key=_SCORE_SIZE, reverse=True)
        nq, nl = len(self.weights), len(lroles)
        used_q: set[int] = set()
        used_l: set[int] = set()
        matched = 0.0
        sims: list[float] = []
        for s, _, qspan, lspan, k in cands:
            if used_q.intersection(qspan) or used_l.intersection(lspan):
                continue
            used_q.update(qspan)
            used_l.update(lspan)
            matched += s * self.item_w[k]
            sims.append(s)
            if len(used_q) == nq or len(used_l) == nl:
                break
        return _finish(cfg, matched, self.weights, self.roles, lroles, used_q, used_l, sims,
                       single, weak)  # fmt: skip


# Listed tokens' strings flattened for :meth:`QueryScorer._flagged`: renditions and their
# token positions, keys and theirs, positions of tokens compared one by one (initials,
# empty strings), positions per native and per skeleton of length >= 3, all skeletons
# (Arabic-script tokens' first) and their token positions, the number of Arabic ones;
# positions per key and per compound part key (SAMAD for ABDUL SAMAD, see Token); the
# patronymics' positions
_Flat = tuple[tuple[str, ...], tuple[int, ...], tuple[str, ...], tuple[int, ...],
              tuple[int, ...], dict[str, tuple[int, ...]], dict[str, tuple[int, ...]],
              tuple[str, ...], tuple[int, ...], int, dict[str, tuple[int, ...]],
              dict[str, tuple[int, ...]], tuple[int, ...]]  # fmt: skip
# per listed name: ((span, token position), ...), the roles of its main tokens, weak or not
# (items as (span, vocabulary position), roles, weak, the surname's places: surname_at
# and the first of two surnames)
_FormView = tuple[tuple[tuple[tuple[int, ...], int], ...], tuple[str, ...], bool, tuple[int, ...]]


class EntryView:
    """An entry's names as :class:`QueryScorer` wants them: ``vocab``, its distinct tokens
    (alignment items); ``forms``, one :data:`_FormView` per name; ``flat``, the tokens'
    strings flattened (:data:`_Flat`).

    A class, not a tuple: compiled by mypyc, a tuple of tuples is unpacked into its
    fields at every hand-over (each one's reference count touched: a cache miss apiece),
    and :meth:`QueryScorer._aligned` knows the view it aligned last by identity, which
    a tuple re-made at each hand-over never kept."""

    __slots__ = ("flat", "forms", "vocab")

    def __init__(self, vocab: tuple[Token, ...], forms: tuple[_FormView, ...], flat: _Flat):
        self.vocab = vocab
        self.forms = forms
        self.flat = flat


class _Every:
    """Contains every position."""

    def __contains__(self, j: object) -> bool:
        return True


_EVERY: Final = _Every()


def _simple(t: Token) -> bool:
    """A token :meth:`QueryScorer.matrix` may compare in bulk."""
    return t.role != "initial" and all(t.renditions) and all(t.keys) and all(t.skeletons)


def entry_view(entry_forms: list[tuple[NameForm, bool]]) -> EntryView:
    """The :data:`EntryView` of an entry's analysed names."""
    vocab: dict[Token, int] = {}
    forms: list[_FormView] = []
    for form, weak in entry_forms:
        if not form.main_tokens:
            forms.append(((), (), weak, ()))
            continue
        litems = tuple((span, vocab.setdefault(tok, len(vocab))) for span, tok in form.items)
        places = (*form.surnames[:1], surname_at(form))  # the first of two surnames too
        forms.append((litems, tuple(t.role for t in form.main_tokens), weak, places))
    toks = tuple(vocab)
    return EntryView(toks, tuple(forms), _flat(toks))


def _flat(toks: Sequence[Token]) -> _Flat:
    """The :data:`_Flat` of listed tokens, for :meth:`QueryScorer._flagged`."""
    rends: list[str] = []
    rend_owner: list[int] = []
    keys: list[str] = []
    key_owner: list[int] = []
    hard: list[int] = []
    sk_ar: list[tuple[str, int]] = []
    sk_other: list[tuple[str, int]] = []
    by_native: dict[str, list[int]] = {}
    by_skel: dict[str, list[int]] = {}
    by_key: dict[str, list[int]] = {}
    by_part: dict[str, list[int]] = {}
    for j, t in enumerate(toks):
        by_native.setdefault(t.native, []).append(j)
        for k in t.keys:
            by_key.setdefault(k, []).append(j)
        for k in t.part_keys:
            by_part.setdefault(k, []).append(j)
        for x in dict.fromkeys(t.skeletons):
            if len(x) >= 3:
                by_skel.setdefault(x, []).append(j)
        if not _simple(t):
            hard.append(j)
            continue
        rends.extend(t.renditions)
        rend_owner.extend(j for _ in t.renditions)
        keys.extend(t.keys)
        key_owner.extend(j for _ in t.keys)
        (sk_ar if t.script == ARABIC else sk_other).extend((x, j) for x in t.skeletons)
    sk = sk_ar + sk_other
    # tuples, not lists: an index holds a view per entry for its whole life, and the
    # garbage collector leaves tuples (and dicts) of strings and ints alone
    return (tuple(rends), tuple(rend_owner), tuple(keys), tuple(key_owner), tuple(hard),
            tuple_values(by_native), tuple_values(by_skel), tuple(x for x, _ in sk),
            tuple(j for _, j in sk), len(sk_ar), tuple_values(by_key), tuple_values(by_part),
            tuple(j for j, t in enumerate(toks) if t.role == "patronymic"))  # fmt: skip


def tuple_values(d: Mapping[_K, Iterable[_T]]) -> dict[_K, tuple[_T, ...]]:
    """``d`` as a plain dict of tuples, which the garbage collector leaves alone once they
    hold only strings and ints (for what an index keeps for its life)."""
    return {k: tuple(v) for k, v in d.items()}


def name_score(
    query: NameForm,
    listed: NameForm,
    *,
    weak: bool = False,
    config: ScoringConfig = DEFAULT_CONFIG,
    idf: Callable[[Token], float] | None = None,
) -> float:
    """The score :func:`align_names` gives, without building its explanation."""
    if not query.main_tokens or not listed.main_tokens:
        return 0.0
    return _align_core(query, listed, weak, config, idf)[0]


def align_names(
    query: NameForm,
    listed: NameForm,
    *,
    weak: bool = False,
    config: ScoringConfig = DEFAULT_CONFIG,
    idf: Callable[[Token], float] | None = None,
    keep_glued: Callable[[Token], bool] | None = None,
) -> NameAlignment:
    """Align the query name with one listed name and score the alignment in [0, 1]
    (the query's glued pairs only where ``keep_glued`` says so, as :class:`QueryScorer`)."""
    qt = query.main_tokens
    lt = listed.main_tokens
    if not qt or not lt:
        return NameAlignment(query.text, listed.text, 0.0, [], [t.text for t in qt],
                             [t.text for t in lt], weak)  # fmt: skip
    score, chosen, used_q, used_l = _align_core(query, listed, weak, config, idf, keep_glued)
    pairs = [
        TokenPair(
            " ".join(qt[i].text for i in qspan),
            " ".join(lt[i].text for i in lspan),
            round(s, 3),
            method,
        )
        for s, _, qspan, lspan, method in chosen
    ]
    un_q = [qt[i].text for i in range(len(qt)) if i not in used_q]
    un_l = [lt[i].text for i in range(len(lt)) if i not in used_l]
    return NameAlignment(query.text, listed.text, score, pairs, un_q, un_l, weak)


def compare_dob(
    query: DateOfBirth | None, listed: list[DateOfBirth], config: ScoringConfig = DEFAULT_CONFIG
) -> tuple[str, float]:
    """``(outcome, adjustment)``: the most favourable comparison with any listed date."""
    if query is None or not listed:
        return "unknown", 0.0
    best: tuple[str, float] | None = None
    for d in listed:
        r = _compare_one_dob(query, d, config)
        if best is None or r[1] > best[1]:
            best = r
    assert best is not None
    return best


def _compare_one_dob(q: DateOfBirth, d: DateOfBirth, c: ScoringConfig) -> tuple[str, float]:
    if q.year_to is not None or d.year_to is not None:
        return _compare_ranges(q, d, c)
    full_q = q.day is not None
    full_d = d.day is not None
    if full_q and full_d:
        if (q.year, q.month, q.day) == (d.year, d.month, d.day):
            return "full", c.dob_full
        if q.year == d.year and (q.month, q.day) == (d.day, d.month):
            return "day/month swapped", c.dob_swapped
        if q.year == d.year and q.month == d.month:
            return "same year and month", c.dob_same_year_month
        if q.year == d.year:
            return "same year only", c.dob_same_year
        if (q.month, q.day) == (d.month, d.day) and abs(q.year - d.year) == 1:
            return "year off by one", c.dob_near_year
        return "contradicts", c.dob_contradicts
    # at least one side is a year or year-month only
    if q.year == d.year:
        if q.month is not None and d.month is not None and q.month != d.month:
            return "same year, month differs", c.dob_same_year
        return "year", c.dob_year
    if abs(q.year - d.year) == 1:
        return "year off by one", c.dob_near_year
    return "contradicts", c.dob_contradicts


def _compare_ranges(q: DateOfBirth, d: DateOfBirth, c: ScoringConfig) -> tuple[str, float]:
    """:func:`_compare_one_dob` where a side (``q`` first) is a range of years."""
    a, b = (q, d) if q.year_to is not None else (d, q)
    assert a.year_to is not None
    if b.year_to is None and a.year <= b.year <= a.year_to:
        return "within range", c.dob_range
    if b.year_to is not None and not (b.year_to < a.year or a.year_to < b.year):
        return "ranges overlap", c.dob_range
    if a.year - 1 <= b.year <= a.year_to + 1:
        return "year next to range", c.dob_near_year
    return "contradicts", c.dob_contradicts


def compare_nationality(
    query: str | None, listed: list[str], config: ScoringConfig = DEFAULT_CONFIG
) -> tuple[str, float]:
    if not query or not listed:
        return "unknown", 0.0
    q = query.upper()
    for n in listed:
        if n == q or n.upper() == q:
            return "agrees", config.nationality_agrees
    return "contradicts", config.nationality_contradicts


def compare_gender(
    query: str | None, listed: str | None, config: ScoringConfig = DEFAULT_CONFIG
) -> tuple[str, float]:
    if not query or not listed:
        return "unknown", 0.0
    if query.upper()[:1] == listed.upper()[:1]:
        return "agrees", 0.0
    return "contradicts", config.gender_contradicts


_CONFUSABLE: Final = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2",
                             "S": "5", "B": "8"})  # fmt: skip


def _doc_number(number: str) -> str:
    return "".join(ch for ch in number.upper() if ch.isalnum())


def compare_documents(
    query: list[Document], listed: list[Document], config: ScoringConfig = DEFAULT_CONFIG
) -> tuple[str, float]:
    """Exact number match, or match up to keying confusions (O/0, I/1 ...)."""
    if not query or not listed:
        return "unknown", 0.0
    best = ("no document in common", 0.0)
    for q in query:
        qn = _doc_number(q.number)
        if len(qn) < 5:
            continue
        for d in listed:
            dn = _doc_number(d.number)
            country_ok = not q.country or not d.country or q.country == d.country
            if qn == dn and country_ok:
                return f"number {d.number} matches exactly", config.document_exact
            if qn.translate(_CONFUSABLE) == dn.translate(_CONFUSABLE) and country_ok:
                best = (
                    f"number {q.number} matches {d.number} up to keying confusions",
                    config.document_confusable,
                )
    return best


def entry_features(
    query: Query, entry: WatchlistEntry, config: ScoringConfig = DEFAULT_CONFIG
) -> dict[str, tuple[str, float]]:
    """What date of birth, nationality, gender and documents say (no name)."""
    return {
        "dob": compare_dob(query.dob, entry.dobs, config),
        "nationality": compare_nationality(query.nationality, entry.nationalities, config),
        "gender": compare_gender(query.gender, entry.gender, config),
        "document": compare_documents(query.documents, entry.documents, config),
    }


def best_name_score(
    query_form: NameForm,
    entry_forms: list[tuple[NameForm, bool]],
    *,
    config: ScoringConfig = DEFAULT_CONFIG,
    idf: Callable[[Token], float] | None = None,
) -> tuple[float, int]:
    """``(score, position)`` of the listed name that aligns best (-1 when there is none)."""
    return QueryScorer(query_form, config, idf).best(entry_view(entry_forms))


def score_entry(
    query: Query,
    query_form: NameForm,
    entry: WatchlistEntry,
    entry_forms: list[tuple[NameForm, bool]],
    *,
    threshold: float,
    algorithm: str,
    config: ScoringConfig = DEFAULT_CONFIG,
    idf: Callable[[Token], float] | None = None,
    features: dict[str, tuple[str, float]] | None = None,
    scorer: QueryScorer | None = None,
    view: EntryView | None = None,
    best_at: int | None = None,
    sharing: Callable[[Token], int] | None = None,
    keep_glued: Callable[[Token], bool] | None = None,
) -> Match:
    """Score ``query`` against ``entry`` (its analysed names with their weak flags).

    Every listed name is scored; only the best one's alignment is built for the
    explanation. ``features`` may carry :func:`entry_features` already computed, ``scorer``
    and ``view`` a :class:`QueryScorer` for ``query_form`` and the entry's view, and
    ``best_at`` the position of the best-aligned name when already known
    (:meth:`QueryScorer.best`), ``sharing`` how many listed people share a name
    (:meth:`~piu.screening.index.NameIndex.sharing`), ``keep_glued`` which of the query's
    glued pairs to align (:meth:`~piu.screening.index.NameIndex.aligns_glued`)."""
    if best_at is not None:
        at = best_at
    else:
        if scorer is None:
            scorer = QueryScorer(query_form, config, idf, keep_glued)
        _, at = scorer.best(view if view is not None else entry_view(entry_forms))
    if at >= 0:
        form, weak = entry_forms[at]
        best = align_names(query_form, form, weak=weak, config=config, idf=idf,
                           keep_glued=keep_glued)  # fmt: skip
    else:
        best = NameAlignment(query.name, "", 0.0, [], [], [], False)
    feats: dict[str, tuple[str, float]] = {"name": (f"{best.score:.3f}", best.score)}
    feats.update(features if features is not None else entry_features(query, entry, config))
    left_out = min(len(best.unmatched_listed), 2)
    if left_out and feats["dob"][0] == "unknown" and config.unconfirmed_partial_name:
        feats["partial_name"] = (
            f"{len(best.unmatched_listed)} listed name(s) not given, no date of birth to confirm",
            -config.unconfirmed_partial_name * left_out,
        )
    if (
        left_out
        and feats["dob"][0] != "full"
        and config.partial_arabic_name
        and query_form.script == ARABIC
    ):
        feats["partial_arabic_name"] = (
            "a name in Arabic script, listed name(s) not given, not confirmed by a full "
            "date of birth",
            -config.partial_arabic_name,
        )
    if (
        feats["dob"][0] == "full"
        and config.confirmed_given_name
        and at >= 0
        and _only_a_given_name_differs(best, query_form, entry_forms[at][0])
    ):
        feats["given_name"] = (
            "one given name differs, the full date of birth agrees",
            given_name_relief(config),
        )
    if config.differing_last_name and at >= 0:
        last = _last_names_pair(best, query_form, entry_forms[at][0])
        if last is not None and last.similarity < config.differing_last_name_below:
            feats["last_name"] = (
                f"the last names differ ({last.query} ~ {last.listed} {last.similarity:.2f})",
                -config.differing_last_name,
            )
    evidence = best.score + sum(
        feats.get(k, ("", 0.0))[1] for k in ("dob", "given_name", "last_name")
    )
    if evidence < config.confirmed_by_dob:  # else there is nothing to confirm
        dob = feats["dob"][0]
        why = _confirmed_by_dob(best, query_form, entry_forms, at, dob, config, sharing)
        if why:
            feats["confirmed_by_dob"] = (why, config.confirmed_by_dob - evidence)
    score = best.score + sum(adj for k, (_, adj) in feats.items() if k != "name")
    score = max(0.0, min(1.0, score))
    return Match(entry.id, entry.list_id, round(score, 4), score >= threshold, best, feats,
                 algorithm)  # fmt: skip


def given_name_relief(config: ScoringConfig) -> float:
    """What :func:`score_entry` gives back when only a given name differs and the full
    date of birth agrees: the penalties that name cost (the conflict and the name left
    out on each side), times ``confirmed_given_name``."""
    penalties = config.conflict_penalty + config.unmatched_listed_name
    return config.confirmed_given_name * (penalties + config.unmatched_query_name)


def surname_at(form: NameForm) -> int:
    """The surname's place among ``form``'s main tokens: the last of the names written in
    capitals where the name says which are the surnames (KIM Chang Hyok, MOUSAVI Seyyed
    Nezamoldin: the first; Daniel RODRIGUEZ OLIVERA: the last), else the last, where
    travel documents and most lists put it; -1 for a name without main tokens."""
    return form.surnames[-1] if form.surnames else len(form.main_tokens) - 1


def _before_last(text: str, form: NameForm, at: int | None = None) -> bool:
    """Is ``text`` a main token of ``form``, and never at its surname's place (``at``, else
    :func:`surname_at`)?"""
    at = surname_at(form) if at is None else at
    places = [i for i, t in enumerate(form.main_tokens) if t.text == text]
    return bool(places) and at not in places


def _only_a_given_name_differs(best: NameAlignment, query: NameForm, listed: NameForm) -> bool:
    """One name on each side has no partner, neither in the last place, and every other
    name (two or more) aligns at 0.9 or more: Omar Enrique ZABALA PADILLA and Omar Arturo
    ZABALA PADILLA, Javier Eduardo and Eduardo Ramon ARELLANO FELIX. Lists and documents
    often disagree on a second given name; a differing surname stays a conflict."""
    return (
        len(best.unmatched_query) == 1
        and len(best.unmatched_listed) == 1
        and len(best.pairs) >= 2
        and all(p.similarity >= 0.9 for p in best.pairs)
        and _before_last(best.unmatched_query[0], query)
        and _before_last(best.unmatched_listed[0], listed)
    )


def _confirmed_by_dob(
    best: NameAlignment,
    query: NameForm,
    entry_forms: list[tuple[NameForm, bool]],
    at: int,
    dob: str,
    config: ScoringConfig,
    sharing: Callable[[Token], int] | None = None,
) -> str:
    """Why the date of birth confirms the name, or "" when it does not. Five cases, each
    a way lists and travellers write one person's name differently:

    * **Only given names differ** and the surname and the full date of birth agree (Ruben
      and Nemesio OSEGUERA CERVANTES, Sa'id and Musa ABU-MARZUQ, born the same day): an
      alias under another given name; a brother would have to be a twin. A stranger
      shares a surname and a day of birth with one of k listed people about k times in
      20,000 travellers, so not for a surname that more than
      ``confirmed_surname_sharing`` listed people share (``sharing``): KIM or MOHAMMED
      on a big list.
    * **Every listed name is there, with more**, and the date of birth (full, or the year)
      agrees: the list shortens the name (Ali ABDOLLAHI for Ali ABDOLLAHI ALIABADI,
      Francisco DIAZ for Francisco Javier DIAZ MADRIZ). Not for a weak name (a partial
      name: ADIL ABD FARI, of Adil Abduh Fari Uthman AL-DHUBHANI) with only the year,
      nor when the entry gives a longer name that goes on where the traveller's extra
      names are (Javad BORDBAR is also Javad Bordbar SHIR AMIN, so Javad Bordbar
      JULAIDAN is someone else's surname on that given name).
    * **Every name is one the entry lists**: each of the traveller's names is in the
      best-aligned listed name or in another name of the entry, each in its own, and the
      date of birth agrees: a traveller who joins two of a person's listed names
      (Abderrezak Le Para for Abderrezak ZAIMECHE, also listed as El Para; Ricky RUAN for
      Ricky RUNLING, also Ruan RUNLING). With the full date when the best-aligned name
      is given whole; else, or with only the year, each name taken from another of the
      entry's names must be one that few listed people share
      (``borrowed_name_sharing``): a rare name says the person, MOHAMMED in some
      alias of his says little.
    * **A listed name of one word is there, with more**, and the full date of birth
      agrees: a kunya or nom de guerre that lists give alone (Abu Seif for Abu Seif
      al-Jawi, Abu Zahra for Pak Zahra), weak or not, when no more than
      ``single_name_sharing`` listed people share it (one of k shares a stranger's day
      of birth about k times in 20,000 travellers bearing that name) and it is not the
      given name of another of the entry's names (KAMEL, also KAMAL BEN MAOELDI
      AL-HAMRAOUI: a traveller KAMAL with another surname is the look-alike). With the
      year only when the list gives that name to no more than
      ``single_name_sharing_year`` people (Abu Luqman for Abu Luqman al-Sahl, RUHINDA
      for Gaby RUHINDA): the traveller bears the one name by which the list knows the
      person, as a traveller giving that name alone with the year already alerts.
    * **Only one surname differs**: both names say which are the surnames
      (:attr:`NameForm.surnames`), each gives two, one of each agrees (in either place),
      the given names of one are among the other's, and the full date of birth agrees
      (or the year, when the traveller's two given names or more are all listed: Ana
      Julia GUIDO DE ROMERO for Ana Julia GUIDO OCHOA).
      Spanish and Portuguese names carry the father's and the mother's surnames
      (Portuguese ones the mother's first), and a married woman may give her husband's
      instead of her mother's (Daniel RODRIGUEZ MORFIN for Daniel RODRIGUEZ OLIVERA,
      Rosalinda RENDON DE PULIDO for Rosalinda RENDON POBLETE, Miguel MORFIN RODRIGUEZ for
      Miguel RODRIGUEZ OLIVERA, Elias Armando VALENCIA CABALLERO for Armando VALENCIA
      CORNELIO). Only where the surnames are known: a given name and patronymic that agree
      with someone else's surname (Igor Borisovich VISMURADOV) say nothing of the kind.
    """
    if not config.confirmed_by_dob or at < 0 or dob not in ("full", "year"):
        return ""
    listed, weak = entry_forms[at]
    level = config.confirmed_level
    if _one_surname_differs(query, entry_forms, level, full=dob == "full"):
        return f"the given names, a surname and the date of birth agree ({dob})"
    if dob == "full":
        # the surname's place; of two listed surnames, the traveller may give the first
        # only (Ramzi SABAGH for Romez Jose SABAGH CAJELI)
        place = surname_at(listed)
        places = (place, listed.surnames[0]) if len(listed.surnames) == 2 else (place,)
        for place in places:
            if _only_given_names_differ(best, query, listed, level, place) and (
                sharing is None
                or sharing(listed.main_tokens[place]) <= config.confirmed_surname_sharing
            ):
                return "the surname and the full date of birth agree, only given names differ"
    if not best.pairs:
        return ""
    whole = not best.unmatched_listed and all(p.similarity >= level for p in best.pairs)
    if (
        whole
        and best.unmatched_query
        and (not weak or dob == "full")
        and len(best.pairs) >= 2
        and not _list_goes_on(query, entry_forms, at, config)
    ):
        return (
            f"every listed name given, with {len(best.unmatched_query)} more; the date of "
            f"birth agrees ({dob})"
        )
    rare = None if whole and dob == "full" else config.borrowed_name_sharing
    borrowed = _named_elsewhere(query, best, entry_forms, at, level, sharing, rare)
    if borrowed:
        return (
            f"every name given is one the entry lists ({', '.join(borrowed)} in its other "
            f"names); the date of birth agrees ({dob})"
        )
    few = config.single_name_sharing if dob == "full" else config.single_name_sharing_year
    if (
        whole
        and best.unmatched_query
        and len(listed.main_tokens) == 1
        and sharing is not None
        and sharing(listed.main_tokens[0]) <= few
        and not _given_name_elsewhere(listed.main_tokens[0], entry_forms, at, level)
    ):
        return (
            f"the listed name {listed.main_tokens[0].text} given, with "
            f"{len(best.unmatched_query)} more; few listed people share it; the date of "
            f"birth agrees ({dob})"
        )
    return ""


def _given_name_elsewhere(
    name: Token, entry_forms: list[tuple[NameForm, bool]], at: int, level: float
) -> bool:
    """Is ``name`` (aligned at ``level`` or more) a name before the last of another of
    the entry's listed names: a given name (KAMEL, also KAMAL BEN MAOELDI AL-HAMRAOUI)?"""
    return any(
        token_similarity(name, o)[0] >= level
        for j, (form, _) in enumerate(entry_forms)
        if j != at
        for o in form.main_tokens[:-1]
    )


def _one_surname_differs(
    query: NameForm, entry_forms: list[tuple[NameForm, bool]], level: float, full: bool = True
) -> bool:
    """Do the query and a listed name (not weak) each give two surnames, one of the
    query's aligning with one of the listed name's at ``level`` or more, and the given
    names of one among the other's (at ``level``: the traveller may give a second given
    name the list does not, or the list one the traveller does not)? Not ``full`` (the
    year of birth only): two given names or more, each a listed one's."""
    qs = query.surnames
    if len(qs) != 2:
        return False
    qm = query.main_tokens
    given = [t for i, t in enumerate(qm) if i not in qs and t.role != "initial"]
    if len(given) < (1 if full else 2):
        return False
    for form, weak in entry_forms:
        ls = form.surnames
        if weak or len(ls) != 2:
            continue
        lm = form.main_tokens
        if not any(token_similarity(qm[a], lm[b])[0] >= level for a in qs for b in ls):
            continue
        others = [t for i, t in enumerate(lm) if i not in ls and t.role != "initial"]
        if others and (
            _all_among(given, others, level) or (full and _all_among(others, given, level))
        ):
            return True
    return False


def _all_among(names: list[Token], among: list[Token], level: float) -> bool:
    """Does each of ``names`` align with one of ``among`` at ``level`` or more?"""
    return all(any(token_similarity(t, o)[0] >= level for o in among) for t in names)


def _named_elsewhere(
    query: NameForm,
    best: NameAlignment,
    entry_forms: list[tuple[NameForm, bool]],
    at: int,
    level: float,
    sharing: Callable[[Token], int] | None = None,
    rare: int | None = None,
) -> list[str]:
    """The query's names that the best alignment leaves without a partner at ``level``,
    when each of them (none an initial, and some other name aligned at ``level``) aligns
    at ``level`` or more with its own name of another listed name of the entry, one that
    no more than ``rare`` listed people share when ``rare`` is given (``sharing``
    counts them); else ``[]``."""
    strong = [p for p in best.pairs if p.similarity >= level]
    if not strong:
        return []
    paired = {t for p in strong for t in p.query.split(" ")}
    left = [t for t in query.main_tokens if t.text not in paired]
    if not left or any(t.role == "initial" for t in left):
        return []
    others = list(
        {o.native: o for j, (f, _) in enumerate(entry_forms) if j != at for o in f.main_tokens
         if o.role != "initial"}.values()
    )  # fmt: skip
    taken: set[str] = set()
    for t in left:
        for o in others:
            if (
                o.native not in taken
                and token_similarity(t, o)[0] >= level
                and (rare is None or (sharing is not None and sharing(o) <= rare))
            ):
                taken.add(o.native)
                break
        else:
            return []
    return [t.text for t in left]


def _ends(used: set[int], n: int) -> set[str]:
    """Where a name goes on beyond its aligned tokens ``used`` (of ``n``)."""
    out = set()
    if used and min(used) > 0:
        out.add("before")
    if used and max(used) < n - 1:
        out.add("after")
    return out


def _list_goes_on(
    query: NameForm, entry_forms: list[tuple[NameForm, bool]], at: int, config: ScoringConfig
) -> bool:
    """Does another name of the entry hold the best-aligned one and go on, before or after
    it, where the query's extra names are?"""
    listed = entry_forms[at][0]
    level = config.confirmed_level
    _, _, used_q, _ = _align_core(query, listed, False, config, None)
    q_ends = _ends(used_q, len(query.main_tokens))
    n = len(listed.main_tokens)
    for j, (other, _) in enumerate(entry_forms):
        if j == at or len(other.main_tokens) <= n:
            continue
        _, chosen, used_l, used_o = _align_core(listed, other, False, config, None)
        whole = len(used_l) == n and all(c[0] >= level for c in chosen)
        if whole and _ends(used_o, len(other.main_tokens)) & q_ends:
            return True
    return False


def _only_given_names_differ(
    best: NameAlignment, query: NameForm, listed: NameForm, level: float, at: int | None = None
) -> bool:
    """The surnames (at the surname's place: :func:`surname_at`, or ``at`` in the listed
    name) align at ``level`` or more, and each side keeps names without a partner or
    paired below ``level`` (Sander and Alexander), none of them there, and not two
    patronymics that differ: a man known by another given name keeps his father's
    (Aleksandr Nikolaevich and Ivan Dmitrievich POPOV are two people; Nadia and Nadezhda
    Leonidovna KUCHUMOVA may be one)."""
    last = _last_names_pair(best, query, listed, at)
    if last is None or last.similarity < level:
        return False
    # names without a partner, or paired for want of a better one (SANDER ~ ALEXANDER)
    weak = [p for p in best.pairs if p.similarity < level]
    left_q = [*best.unmatched_query, *(p.query for p in weak)]
    left_l = [*best.unmatched_listed, *(p.listed for p in weak)]
    if not left_q or not left_l:
        return False
    if all(
        any(t.role == "patronymic" and t.text in left for t in form.main_tokens)
        for form, left in ((query, left_q), (listed, left_l))
    ):
        return False
    return all(_before_last(t, query) for t in left_q) and all(
        _before_last(t, listed, at) for t in left_l
    )


def _last_names_pair(
    best: NameAlignment, query: NameForm, listed: NameForm, at: int | None = None
) -> TokenPair | None:
    """The aligned pair that holds the names at both names' surname's place
    (:func:`surname_at`: the last, unless capitals say otherwise), if there is one: Elena
    Leonidovna FROLOVA and Elena Leonidovna ZHURAVLEVA share a given name and a
    patronymic, and their surnames, aligned for want of anything better, say they are two
    people; KIM Chang Hyok and James Kim share the surname. Not for a name in Arabic
    script, whose last name against a Latin one is compared by its consonants and rarely
    reaches that similarity. ``at`` is the listed surname's place, if not there."""
    if not query.main_tokens or not listed.main_tokens:
        return None
    if query.main_tokens[-1].script == ARABIC or listed.main_tokens[-1].script == ARABIC:
        return None
    sq, sl = surname_at(query), surname_at(listed) if at is None else at
    lq, ll = query.main_tokens[sq].text, listed.main_tokens[sl].text
    # a glued pair holds the surname as its second name where the surname is last, as its
    # first where it comes first (KIM CHANG glued is not the surname KIM and a given name)
    iq = -1 if sq == len(query.main_tokens) - 1 else 0
    il = -1 if sl == len(listed.main_tokens) - 1 else 0
    for p in best.pairs:
        if p.query.split(" ")[iq] == lq and p.listed.split(" ")[il] == ll:
            return p
    return None
