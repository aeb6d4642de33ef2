# ruff: noqa: E501 - the table rows are data, one country per line
"""Country names, demonyms and ISO 3166-1 alpha-2 codes mapped to alpha-3.

Why our own table: lists name countries in prose ("Iran (Islamic Republic of)", "Korea,
North", "Russian", "DPRK", "Myanmar/Burma", Arabic "الأردن"), and the screening core wants
ISO 3166-1 alpha-3. The table below holds every ISO 3166-1 code pair (ISO 3166 Maintenance
Agency list) with the English short name and the variants and demonyms that occur in the
list files of the corpus (UN, OFAC, EU, Canada, UAE). A value not found is kept as text by
the importers, with a warning, so that nothing is silently dropped.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["alpha2_to_alpha3", "countries_in", "to_alpha3"]

# alpha-2 alpha-3 | English short name | variants and demonyms (";"-separated)
_TABLE = """
AD AND|Andorra|Andorran
AE ARE|United Arab Emirates|UAE;Emirati;الإمارات;الامارات;دبي
AF AFG|Afghanistan|Afghan;Afgan;أفغانستان
AG ATG|Antigua and Barbuda|
AI AIA|Anguilla|
AL ALB|Albania|Albanian
AM ARM|Armenia|Armenian
AO AGO|Angola|Angolan
AQ ATA|Antarctica|
AR ARG|Argentina|Argentine;Argentinian
AS ASM|American Samoa|
AT AUT|Austria|Austrian;النمسا
AU AUS|Australia|Australian
AW ABW|Aruba|
AX ALA|Aland Islands|
AZ AZE|Azerbaijan|Azerbaijani;Azeri
BA BIH|Bosnia and Herzegovina|Bosnian;Bosnia-Herzegovina
BB BRB|Barbados|
BD BGD|Bangladesh|Bangladeshi
BE BEL|Belgium|Belgian
BF BFA|Burkina Faso|Burkinabe
BG BGR|Bulgaria|Bulgarian
BH BHR|Bahrain|Bahraini;البحرين
BI BDI|Burundi|Burundian
BJ BEN|Benin|Beninese
BL BLM|Saint Barthelemy|
BM BMU|Bermuda|
BN BRN|Brunei Darussalam|Brunei
BO BOL|Bolivia|Bolivian;Bolivia (Plurinational State of)
BQ BES|Bonaire, Sint Eustatius and Saba|
BR BRA|Brazil|Brazilian
BS BHS|Bahamas|The Bahamas;Bahamas, The
BT BTN|Bhutan|
BV BVT|Bouvet Island|
BW BWA|Botswana|
BY BLR|Belarus|Belarusian;Belarussian;Byelorussian
BZ BLZ|Belize|
CA CAN|Canada|Canadian
CC CCK|Cocos (Keeling) Islands|
CD COD|Democratic Republic of the Congo|DRC;Congo, Democratic Republic of the;Congolese (DRC);DR Congo
CF CAF|Central African Republic|Central African
CG COG|Congo|Republic of the Congo;Congo, Republic of the
CH CHE|Switzerland|Swiss
CI CIV|Cote d'Ivoire|Ivorian;Ivory Coast
CK COK|Cook Islands|
CL CHL|Chile|Chilean
CM CMR|Cameroon|Cameroonian
CN CHN|China|Chinese;People's Republic of China
CO COL|Colombia|Colombian
CR CRI|Costa Rica|Costa Rican
CU CUB|Cuba|Cuban
CV CPV|Cabo Verde|Cape Verde
CW CUW|Curacao|
CX CXR|Christmas Island|
CY CYP|Cyprus|Cypriot
CZ CZE|Czechia|Czech Republic;Czech
DE DEU|Germany|German
DJ DJI|Djibouti|Djiboutian
DK DNK|Denmark|Danish
DM DMA|Dominica|
DO DOM|Dominican Republic|Dominican
DZ DZA|Algeria|Algerian
EC ECU|Ecuador|Ecuadorian
EE EST|Estonia|Estonian
EG EGY|Egypt|Egyptian;مصر
EH ESH|Western Sahara|
ER ERI|Eritrea|Eritrean
ES ESP|Spain|Spanish
ET ETH|Ethiopia|Ethiopian
FI FIN|Finland|Finnish
FJ FJI|Fiji|
FK FLK|Falkland Islands (Malvinas)|
FM FSM|Micronesia (Federated States of)|
FO FRO|Faroe Islands|
FR FRA|France|French
GA GAB|Gabon|Gabonese
GB GBR|United Kingdom|United Kingdom of Great Britain and Northern Ireland;UK;British;Great Britain;بريطانيا
GD GRD|Grenada|
GE GEO|Georgia|Georgian
GF GUF|French Guiana|
GG GGY|Guernsey|
GH GHA|Ghana|Ghanaian
GI GIB|Gibraltar|
GL GRL|Greenland|
GM GMB|Gambia|The Gambia;Gambian
GN GIN|Guinea|Guinean
GP GLP|Guadeloupe|
GQ GNQ|Equatorial Guinea|
GR GRC|Greece|Greek
GS SGS|South Georgia and the South Sandwich Islands|
GT GTM|Guatemala|Guatemalan
GU GUM|Guam|
GW GNB|Guinea-Bissau|Bissau-Guinean
GY GUY|Guyana|Guyanese
HK HKG|Hong Kong|
HM HMD|Heard Island and McDonald Islands|
HN HND|Honduras|Honduran
HR HRV|Croatia|Croatian
HT HTI|Haiti|Haitian
HU HUN|Hungary|Hungarian
ID IDN|Indonesia|Indonesian
IE IRL|Ireland|Irish
IL ISR|Israel|Israeli
IM IMN|Isle of Man|
IN IND|India|Indian
IO IOT|British Indian Ocean Territory|
IQ IRQ|Iraq|Iraqi;العراق
IR IRN|Iran|Iran (Islamic Republic of);Islamic Republic of Iran;Iranian;ايران;إيران;إيراني
IS ISL|Iceland|Icelandic
IT ITA|Italy|Italian
JE JEY|Jersey|
JM JAM|Jamaica|Jamaican
JO JOR|Jordan|Jordanian;الأردن;الاردن
JP JPN|Japan|Japanese
KE KEN|Kenya|Kenyan
KG KGZ|Kyrgyzstan|Kyrgyz;Kyrgyz Republic
KH KHM|Cambodia|Cambodian
KI KIR|Kiribati|
KM COM|Comoros|Comorian
KN KNA|Saint Kitts and Nevis|سانت كيتس - نافيس
KP PRK|Democratic People's Republic of Korea|DPRK;RPDC;North Korea;Korea, North;North Korean;Korea (Democratic People's Republic of)
KR KOR|Republic of Korea|South Korea;Korea, South;South Korean
KW KWT|Kuwait|Kuwaiti;الكويت
KY CYM|Cayman Islands|
KZ KAZ|Kazakhstan|Kazakh;Kazakhstani
LA LAO|Lao People's Democratic Republic|Laos;Lao
LB LBN|Lebanon|Lebanese;لبنان
LC LCA|Saint Lucia|
LI LIE|Liechtenstein|
LK LKA|Sri Lanka|Sri Lankan
LR LBR|Liberia|Liberian;ليبيريا
LS LSO|Lesotho|
LT LTU|Lithuania|Lithuanian
LU LUX|Luxembourg|
LV LVA|Latvia|Latvian
LY LBY|Libya|Libyan;ليبيا
MA MAR|Morocco|Moroccan
MC MCO|Monaco|
MD MDA|Republic of Moldova|Moldova;Moldovan
ME MNE|Montenegro|Montenegrin
MF MAF|Saint Martin (French part)|
MG MDG|Madagascar|
MH MHL|Marshall Islands|
MK MKD|North Macedonia|North Macedonia, The Republic of;Macedonia;Macedonian
ML MLI|Mali|Malian
MM MMR|Myanmar|Burma;Myanmar/Burma;Burmese
MN MNG|Mongolia|Mongolian
MO MAC|Macao|Macau
MP MNP|Northern Mariana Islands|
MQ MTQ|Martinique|
MR MRT|Mauritania|Mauritanian
MS MSR|Montserrat|
MT MLT|Malta|Maltese
MU MUS|Mauritius|
MV MDV|Maldives|Maldivian
MW MWI|Malawi|
MX MEX|Mexico|Mexican
MY MYS|Malaysia|Malaysian
MZ MOZ|Mozambique|Mozambican
NA NAM|Namibia|Namibian
NC NCL|New Caledonia|
NE NER|Niger|Nigerien
NF NFK|Norfolk Island|
NG NGA|Nigeria|Nigerian;نيجيري;نيجيريا
NI NIC|Nicaragua|Nicaraguan
NL NLD|Netherlands|Dutch;The Netherlands
NO NOR|Norway|Norwegian
NP NPL|Nepal|Nepalese
NR NRU|Nauru|
NU NIU|Niue|
NZ NZL|New Zealand|
OM OMN|Oman|Omani
PA PAN|Panama|Panamanian
PE PER|Peru|Peruvian
PF PYF|French Polynesia|
PG PNG|Papua New Guinea|
PH PHL|Philippines|Filipino;Philippine
PK PAK|Pakistan|Pakistani;باكستان
PL POL|Poland|Polish
PM SPM|Saint Pierre and Miquelon|
PN PCN|Pitcairn|
PR PRI|Puerto Rico|
PS PSE|State of Palestine|Palestine;Palestinian;Palestinian Territories;West Bank;Gaza;Region: Gaza
PT PRT|Portugal|Portuguese
PW PLW|Palau|
PY PRY|Paraguay|Paraguayan
QA QAT|Qatar|Qatari;قطر
RE REU|Reunion|
RO ROU|Romania|Romanian
RS SRB|Serbia|Serbian
RU RUS|Russian Federation|Russia;Russian;روسيا
RW RWA|Rwanda|Rwandan
SA SAU|Saudi Arabia|Saudi;Saudi Arabian;السعودية;السعوديه
SB SLB|Solomon Islands|
SC SYC|Seychelles|
SD SDN|Sudan|Sudanese
SE SWE|Sweden|Swedish;السويد
SG SGP|Singapore|Singaporean
SH SHN|Saint Helena, Ascension and Tristan da Cunha|
SI SVN|Slovenia|Slovenian
SJ SJM|Svalbard and Jan Mayen|
SK SVK|Slovakia|Slovak
SL SLE|Sierra Leone|Sierra Leonean
SM SMR|San Marino|
SN SEN|Senegal|Senegalese
SO SOM|Somalia|Somali;الصومال
SR SUR|Suriname|
SS SSD|South Sudan|South Sudanese
ST STP|Sao Tome and Principe|
SV SLV|El Salvador|Salvadoran
SX SXM|Sint Maarten (Dutch part)|
SY SYR|Syrian Arab Republic|Syria;Syrian;سوريا;سوري
SZ SWZ|Eswatini|Swaziland
TC TCA|Turks and Caicos Islands|
TD TCD|Chad|Chadian
TF ATF|French Southern Territories|
TG TGO|Togo|Togolese
TH THA|Thailand|Thai
TJ TJK|Tajikistan|Tajik
TK TKL|Tokelau|
TL TLS|Timor-Leste|East Timor
TM TKM|Turkmenistan|Turkmen
TN TUN|Tunisia|Tunisian
TO TON|Tonga|
TR TUR|Turkiye|Turkey;Turkish;تركيا
TT TTO|Trinidad and Tobago|Trinidadian
TV TUV|Tuvalu|
TW TWN|Taiwan|Taiwanese;Taiwan, Province of China
TZ TZA|United Republic of Tanzania|Tanzania;Tanzanian
UA UKR|Ukraine|Ukrainian
UG UGA|Uganda|Ugandan
UM UMI|United States Minor Outlying Islands|
US USA|United States of America|United States;USA;US;American;أمريكا
UY URY|Uruguay|Uruguayan
UZ UZB|Uzbekistan|Uzbek
VA VAT|Holy See|Vatican
VC VCT|Saint Vincent and the Grenadines|
VE VEN|Venezuela|Venezuela (Bolivarian Republic of);Venezuelan
VG VGB|Virgin Islands (British)|British Virgin Islands
VI VIR|Virgin Islands (U.S.)|
VN VNM|Viet Nam|Vietnam;Vietnamese
VU VUT|Vanuatu|
WF WLF|Wallis and Futuna|
WS WSM|Samoa|
YE YEM|Yemen|Yemeni;اليمن
YT MYT|Mayotte|
ZA ZAF|South Africa|South African
ZM ZMB|Zambia|Zambian
ZW ZWE|Zimbabwe|Zimbabwean
XK XKX|Kosovo|Kosovar
"""
# XK/XKX: Kosovo has no ISO code; XK/XKX are the user-assigned codes ICAO Doc 9303 and
# the EU use. Historic states (USSR, Yugoslavia) are not mapped: such a value says
# nothing reliable about a current passport, so it stays text with a warning.

_PAREN_NOISE = re.compile(r"\s*\((?:as at|until|since|citizenship|possibly)[^)]*\)\s*", re.I)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\s.]+", " ", text.replace("’", "'")).strip(" .").casefold()


@functools.cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    by_alpha2: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for row in _TABLE.strip().splitlines():
        codes, name, variants = row.split("|")
        a2, a3 = codes.split()
        by_alpha2[a2] = a3
        for n in [name, *variants.split(";")]:
            if n:
                by_name[_fold(n)] = a3
        by_name[a3.casefold()] = a3
    by_alpha2["UK"] = "GBR"  # not ISO, but used by some lists
    return by_alpha2, by_name


def alpha2_to_alpha3(code: str) -> str | None:
    """``"RU"`` -> ``"RUS"``; ``None`` if the code is not assigned."""
    return _tables()[0].get(code.strip().upper())


def to_alpha3(text: str) -> str | None:
    """A country name, demonym, alpha-2 or alpha-3 code as alpha-3, ``None`` if unknown.

    Only whole values are recognised (after folding case, accents and dots, and dropping
    qualifiers such as "(as at Dec. 2003)"); free prose is not searched for country names.
    """
    if not text:
        return None
    by_alpha2, by_name = _tables()
    raw = text.strip()
    if len(raw) == 2 and raw.isalpha() and raw.isupper():
        return by_alpha2.get(raw)
    key = _fold(_PAREN_NOISE.sub(" ", raw))
    key = re.sub(r"\s+(?:passport|citizen|national|nationality)$", "", key)
    hit = by_name.get(key)
    if hit is None and key.startswith("the "):
        hit = by_name.get(key[4:])
    return hit


_SPLIT = re.compile(
    r"\s*(?:[,;/]|\.\s|\band\b|\bor\b|\(?\b[a-h]\)|\bو\b|:|الحالية|السابقة)\s*", re.I
)
_ANY_PAREN = re.compile(r"\s*\([^()]*\)")
_LABELS = re.compile(r"^(?:current|former|formerly|possibly|الحالية|السابقة)\b\s*", re.I)


def countries_in(text: str) -> tuple[list[str], list[str]]:
    """Split a nationality cell into ``(alpha-3 codes, parts not recognised)``.

    Cells such as "Ukrainian, Russian", "(a) German, (b) Moroccan", "Russian and Ukrainian"
    or "السعودية / الكويت" name several countries; each part is looked up on its own.
    """
    whole = to_alpha3(text)
    if whole:
        return [whole], []
    codes: list[str] = []
    unknown: list[str] = []
    for part in _SPLIT.split(text):
        part = _LABELS.sub("", part.strip(" .-"))
        if not part:
            continue
        code = to_alpha3(part) or to_alpha3(_ANY_PAREN.sub("", part))
        if code:
            if code not in codes:
                codes.append(code)
        elif part.casefold() not in {"na", "n/a", "unknown"}:
            unknown.append(part)
    return codes, unknown
