"""Forms of one name that no transliteration or spelling rule joins, listed.

One given name in Russian, Ukrainian and Belarusian first.

A Ukrainian passport writes ПАВЛО (PAVLO) where a Russian list writes ПАВЕЛ (PAVEL), a
Belarusian one УЛАДЗІМІР (ULADZIMIR) for ВЛАДИМИР (VLADIMIR): the Cyrillic itself differs,
so no system of transliteration brings the two together, and no spelling rule does
either (MYKOLA and NIKOLAY share two letters). A PIU of Central Asia sees all three on
travellers of one family. Each group below is one name: its Russian form first (the
form names in the other languages are read as, by :func:`other_forms`), then the
Ukrainian and Belarusian forms with their common Latin spellings (national passport
rules, ICAO Doc 9303, BGN/PCGN).

Names whose forms differ only by the letter Г (IHOR, IGOR; OLEH, ALEH, OLEG) are left
to the G/H rule of :mod:`scoring`. Only whole spellings count, none folded: a rule (say,
final -O for -EL) would join names that are not one (PAVLO and PAVLA, MIKALAI and
MIKAELA).

Korean surnames have the same trouble for another reason (``_KOREAN``): North
Korea writes the initial ㄹ that South Korea drops or writes as N (리 RI, 이 YI or LEE,
for one name, 李), so the DPRK's own spellings on UN and OFAC lists (RI, RYU, RIM)
meet the southern ones (YI, LEE, YU, LIM) only by this table.

Western European given names have the same trouble across languages
(``_WESTERN``): a Mexican listed as EDUARDO travels on a US passport as EDWARD,
a Lebanese Frenchman listed as JEAN as JOHN. Each group is one name, its English form
first, then the Spanish, Portuguese, French and Italian ones.

Somali spelling (the official Latin orthography since 1972) writes Arabic names its own
way (``_SOMALI``). Its rules, C for ʿayn and X for ḥ, are read by
:mod:`keys` where they start a name or stand by a vowel (CALI, MAXAMED); the names here
need more: AADAN is Adam, and a C inside a name (SICIID, ISMAACIIL, JAAMAC) is an ʿayn
that a rule could not tell from the C of LUCAS or ISAAC.

Arabic names with ض, ظ or ذ have a Z in Persian, Dari, Pashto, Urdu, Turkish and the
Central Asian languages, which pronounce those letters so, and a D or DH in Arabic
transliteration (``_Z_FOR_D_KEYS``): RAMAZAN and RAMADAN, MORTEZA and MURTADHA, KAZEM and
KADHIM, QAZI and QADI are one name each. A Kyrgyz or Afghan traveller's passport writes
the first; a list of Arabic origin, the second. Only these names: Z is a Z in most
others (AZIZ, ZAID), and some would meet another name (AZAM and ADAM, NAZIM and NADIM,
RIAZ and RAAD), so they are listed by folding key, not made by a rule.
"""

from __future__ import annotations

from typing import Final

from .keys import fold_key

__all__ = ["other_forms"]

_GROUPS = (
    # men
    "ALEKSANDR OLEKSANDR OLEXANDR ALIAKSANDR ALYAKSANDR ALIAXANDR",
    "ALEKSEY OLEKSIY OLEKSII OLEXIY ALIAKSEI ALYAKSEY",
    "ANATOLIY ANATOL",
    "ANDREY ANDRIY ANDRII ANDRIJ",
    "VLADIMIR VOLODYMYR VOLODIMIR ULADZIMIR ULADZIMER",
    "VASILIY VASYL VASIL",
    "GENNADIY HENNADIY HENNADII HENADZI HENADZIY",
    "GEORGIY HEORHIY HEORHII",
    "GRIGORIY HRYHORIY HRYHORII RYHOR",
    "DMITRIY DMYTRO DZMITRY DZMITRYI",
    "YEVGENIY YEVHEN YEVHENIY YEVHENII IEVGEN YAUHEN YAUHENI IAUHEN",
    "IOSIF YOSYP YOSIP",
    "KONSTANTIN KOSTIANTYN KOSTYANTYN KANSTANTSIN KANSTANTIN",
    "MIKHAIL MYKHAILO MYKHAYLO MYKHAJLO",
    "NIKOLAY MYKOLA MIKALAI MIKALAY",
    "PAVEL PAVLO",
    "PETR PETRO PIATRO PYATRO PIOTR",
    "SERGEY SERHIY SERHII SERGIY SIARHEI SYARHEY SIARGEI",
    "STEPAN STSIAPAN STSEPAN",
    "FEDOR FEDIR FIODAR FYODAR",
    "YAKOV YAKIV YAKAU",
    "ILYA ILLIA ILLYA",
    "MAKSIM MAKSYM",
    "TIMOFEY TYMOFIY TYMOFII TSIMAFEI",
    "KIRILL KYRYLO KIRYL",
    "VIKTOR VIKTAR",
    "VALERIY VALERII VALERY VALER",
    "YURIY YURII YURY IURII",
    "BORIS BORYS BARYS",
    "ROMAN RAMAN",
    "VADIM VADYM VADZIM",
    "ARKADIY ARKADII ARKADZI",
    "LEONID LEANID",
    "NIKITA MYKYTA MIKITA",
    "VITALIY VITALII VITAL",
    "VYACHESLAV VIACHESLAV VYACHASLAU VIACHASLAU",
    "YAROSLAV YARASLAU IARASLAU",
    "STANISLAV STANISLAU",
    "MIROSLAV MYROSLAV MIRASLAU",
    # women
    "OLGA OLHA VOLHA",
    "TATYANA TETIANA TETYANA TATSIANA TATSTSIANA",
    "NATALYA NATALIIA NATALIYA NATALLIA NATALIA",
    "GALINA HALYNA HALINA",
    "SVETLANA SVITLANA SVIATLANA SVYATLANA",
    "LYUDMILA LIUDMYLA LYUDMYLA LIUDMILA LUDMILA",
    "IRINA IRYNA",
    "YEKATERINA EKATERINA KATERYNA KATSIARYNA KATSYARYNA",
    "YELENA ELENA OLENA ALENA ALIONA",
    "ANNA HANNA GANNA",
    "MARIYA MARIIA MARYIA MARYA",
    "NADEZHDA NADIYA NADIIA NADZEYA NADZEIA",
    "LYUBOV LIUBOV LIUBOU LYUBOU",
    "VALENTINA VALENTYNA VALIANTSINA",
    "ALEKSANDRA OLEKSANDRA ALIAKSANDRA",
    "YULIYA YULIIA IULIIA YULIA",
    "ANASTASIYA ANASTASIIA ANASTASIA",
    "YEVGENIYA YEVHENIYA YEVHENIIA YAUHENIYA",
    "VERA VIRA",
    "OKSANA AKSANA",
    "LARISA LARYSA",
    "ZOYA ZOIA",
    "DARYA DARIA DARIIA",
)


def _first_of(groups: tuple[str, ...]) -> dict[str, str]:
    """Each spelling of a group (but the first) -> the group's first spelling; each
    spelling is in one group only."""
    return {other: group.split()[0] for group in groups for other in group.split()[1:]}


_RUSSIAN = _first_of(_GROUPS)


# One Korean surname each, its North Korean spelling first, then the southern and common
# Latin ones (the Revised Romanization, McCune-Reischauer, and customary spellings).
_KOREAN_GROUPS = (
    "RI LI YI LEE RHEE RHIE",
    "RYU YU YOO RYOO",
    "RIM LIM IM",
    "RO NO ROH",
    "RYANG YANG",
    "RYO YO YEO",
    "RYOM YOM YEOM",
)
_KOREAN = _first_of(_KOREAN_GROUPS)


_WESTERN_GROUPS = (
    "JOHN JUAN JOAO JEAN GIOVANNI",
    "JOSEPH JOSE JOSEF GIUSEPPE",
    "PETER PEDRO PIERRE PIETRO",
    "MICHAEL MIGUEL MICHEL MICHELE",
    "WILLIAM GUILLERMO GUILLAUME GUGLIELMO",
    "EDWARD EDUARDO EDOUARD EDOARDO",
    "CHARLES CARLOS CARLO",
    "HENRY ENRIQUE HENRIQUE HENRI ENRICO",
    "GEORGE JORGE GEORGES GIORGIO",
    "PAUL PABLO PAULO PAOLO",
    "ANTHONY ANTONIO ANTOINE",
    "STEPHEN STEVEN ESTEBAN ESTEVAO ETIENNE STEFANO",
    "FRANCIS FRANCISCO FRANCOIS FRANCESCO",
    "ANDREW ANDRES ANDRE ANDREA",
    "LOUIS LUIS LUIGI",
    "ALEXANDER ALEJANDRO ALEXANDRE ALESSANDRO",
    "JAMES JAIME JACQUES GIACOMO",
    "MATTHEW MATEO MATEUS MATTHIEU MATTEO",
    "RICHARD RICARDO RICCARDO",
    "ROBERT ROBERTO",
    "ARTHUR ARTURO",
    "MARK MARCOS MARC MARCO",
    "LAWRENCE LORENZO LAURENT",
    "VINCENT VICENTE VINCENZO",
)
_WESTERN = _first_of(_WESTERN_GROUPS)

# One Arabic name each, its common Latin form first, then its Somali spellings
_SOMALI = _first_of((
    "ADAM AADAN",
    "SAID SICIID SACIID",
    "ISMAIL ISMAACIIL ISMACIIL",
    "JAMA JAAMAC JAAMACA",
    "MUALLIM MACALIN MACALLIN",
    "ABDIRAHMAN CABDIRAXMAAN",
    "MAHMUD MAXAMUUD",
))  # fmt: skip


# Folding keys (keys.fold_key) of the Persian and Turkic spellings of Arabic names with
# ض, ظ or ذ: RAMAZAN, RAMAZON; MURTAZA, MORTEZA; REZA, RIZA, RAZA; RIZWAN, REZVAN; FAZIL,
# FAZEL, FOZIL; FAZL; FAZLULLAH; QAZI, KAZI; KAZEM, KAZIM; HAFIZ, HAFEZ; ZAKIR, ZOKIR;
# ZAFAR, ZAFER; MUZAFFAR, MOZAFFAR; MAHFUZ; ZIAUDDIN
_Z_FOR_D_KEYS = frozenset(
    ["RAMAZAN", "MARTAZA", "RAZA", "RAZVAN", "FAZAL", "FAZL", "FAZLALA", "KAZA", "KAZAM",
     "HAFAZ", "ZAKAR", "ZAFAR", "MAZAFAR", "MAFAZ", "ZADAN"]
)  # fmt: skip


def _d_form(spelling: str) -> str | None:
    """The Arabic transliteration's form of a name spelled the Persian or Turkic way, with
    Z for ض, ظ or ذ (RAMAZAN -> RAMADAN, KAZEM -> KADEM), else None."""
    if "Z" not in spelling or fold_key(spelling) not in _Z_FOR_D_KEYS:
        return None
    return spelling.replace("Z", "D")


# the tables, and the system each form is given (scoring._OTHER_FORMS says them)
_TABLES: Final = ((_RUSSIAN, "cognate"), (_KOREAN, "korean"), (_WESTERN, "cognate"),
                  (_SOMALI, "somali"))  # fmt: skip


def other_forms(spelling: str) -> list[tuple[str, str]]:
    """The other forms of one name spelled so (upper-case Latin, as
    :func:`~piu.screening.names.analyse_token` holds it), each with its system: the
    Russian form of a Ukrainian or Belarusian given name (PAVLO -> PAVEL), the North
    Korean spelling of a Korean surname (YI, LEE -> RI), the English form of a Western
    European given name (EDUARDO -> EDWARD), the common form of a Somali spelling (AADAN
    -> ADAM), the Arabic D of a Persian or Turkic Z (RAMAZAN -> RAMADAN)."""
    out = [(table[spelling], system) for table, system in _TABLES if spelling in table]
    if (d := _d_form(spelling)) is not None:
        out.append((d, "persian-z"))
    return out
