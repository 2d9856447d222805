"""Postman's dynamic variables: ``{{$guid}}``, ``{{$timestamp}}``, ``{{$randomEmail}}``, ...

Each name yields a fresh value at every occurrence. Value *shapes* follow Postman's runtime
(postman-collection, which draws the ``$random*`` family from faker.js); the fake-data word lists
below are our own short ones, so values look alike without being the same vocabulary.
"""

from __future__ import annotations

import random
import re
import secrets
import string
import time
import uuid
from collections.abc import Callable, Mapping
from types import MappingProxyType
from urllib.parse import quote

_rng = random.Random()  # fake data: speed matters more than unpredictability
_choice = _rng.choice
_randint = _rng.randint


def _words(text: str) -> tuple[str, ...]:
    """Split a compact list: '|' when entries contain spaces, else whitespace."""
    return tuple(w.strip() for w in text.split("|")) if "|" in text else tuple(text.split())


# --- word lists (our own, deliberately short) -------------------------------------------------------
FIRST_NAMES = _words(
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan"
    " Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Anthony Betty Mark Margaret"
    " Steven Sandra Paul Ashley Andrew Emily Joshua Donna Kevin Michelle Brian Carol"
)
LAST_NAMES = _words(
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin Jackson"
    " Thompson White Harris Clark Lewis Walker Hall Allen Young King Wright Hill Green Adams Baker Nelson"
    " Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards O'Connor"
)
NAME_PREFIXES = _words("Mr. Mrs. Ms. Miss Dr.")
NAME_SUFFIXES = _words("Jr. Sr. I II III IV V MD DDS PhD DVM")
JOB_DESCRIPTORS = _words(
    "Senior Lead Chief Principal Junior Global Regional District Direct Corporate Dynamic Future Product"
    " National Central Internal Legacy Customer Human Investor Forward"
)
JOB_AREAS = _words(
    "Solutions Program Brand Security Research Marketing Directives Implementation Integration"
    " Functionality Response Paradigm Tactics Identity Markets Group Division Applications Optimization"
    " Operations Infrastructure Intranet Communications Web Quality Accounts Data Creative Configuration"
    " Interactions Factors Usability Metrics"
)
JOB_TYPES = _words(
    "Supervisor Associate Executive Liaison Officer Manager Engineer Specialist Director Coordinator"
    " Administrator Architect Analyst Designer Planner Technician Developer Producer Consultant Assistant"
    " Facilitator Agent Representative Strategist"
)

CITY_PREFIXES = _words("North East West South New Lake Port Fort Mount")
CITY_SUFFIXES = _words(
    "town ton land ville berg burgh borough bury view port mouth stad chester fort haven side shire field"
    " ford"
)
CITIES = _words(
    "Springfield|Riverside|Franklin|Greenville|Fairview|Madison|Georgetown|Salem|Clinton|Arlington"
    "|Bristol|Dayton|Ashland|Oxford|Cedar Rapids|Grand Junction|Palo Alto|Santa Clara"
)
STREET_SUFFIXES = _words(
    "Street Avenue Road Lane Drive Court Place Way Boulevard Terrace Trail Parkway Plains Hollow Square Run"
    " Summit Station Crossing Ridge Heights Meadow Park Pike Circle Loop Harbor Valley Village Springs"
    " Falls Junction Mill Grove Shore Island Creek"
)
COUNTRIES = (
    ("United States", "US"), ("Canada", "CA"), ("Mexico", "MX"), ("Brazil", "BR"), ("Argentina", "AR"),
    ("Chile", "CL"), ("United Kingdom", "GB"), ("Ireland", "IE"), ("France", "FR"), ("Germany", "DE"),
    ("Spain", "ES"), ("Portugal", "PT"), ("Italy", "IT"), ("Netherlands", "NL"), ("Belgium", "BE"),
    ("Switzerland", "CH"), ("Austria", "AT"), ("Sweden", "SE"), ("Norway", "NO"), ("Denmark", "DK"),
    ("Finland", "FI"), ("Poland", "PL"), ("Czechia", "CZ"), ("Greece", "GR"), ("Turkey", "TR"),
    ("Egypt", "EG"), ("Nigeria", "NG"), ("Kenya", "KE"), ("South Africa", "ZA"), ("India", "IN"),
    ("China", "CN"), ("Japan", "JP"), ("South Korea", "KR"), ("Indonesia", "ID"), ("Australia", "AU"),
    ("New Zealand", "NZ"),
)  # fmt: skip
LOCALES = _words(
    "en de fr es it pt nl sv da no fi pl cs sk hu ro bg el tr ru uk ar he fa hi bn ur ta te th vi id ms"
    " zh ja ko sw af ga cy is lt lv et sl hr sr"
)

COLORS = _words(
    "red|green|blue|yellow|orange|purple|pink|black|white|grey|silver|gold|maroon|navy|teal|olive|lime"
    "|cyan|magenta|violet|indigo|turquoise|tan|orchid|plum|salmon|sky blue|mint green"
)
DEPARTMENTS = _words(
    "Books Movies Music Games Electronics Computers Home Garden Tools Grocery Health Beauty Toys Kids Baby"
    " Clothing Shoes Jewelry Sports Outdoors Automotive Industrial"
)
PRODUCT_ADJECTIVES = _words(
    "Small Ergonomic Rustic Intelligent Gorgeous Incredible Fantastic Practical Sleek Awesome Generic"
    " Handcrafted Handmade Licensed Refined Unbranded Tasty"
)
PRODUCT_MATERIALS = _words("Steel Wooden Concrete Plastic Cotton Granite Rubber Metal Soft Fresh Frozen")
PRODUCTS = _words(
    "Chair Car Computer Keyboard Mouse Bike Ball Gloves Pants Shirt Table Shoes Hat Towels Soap Tuna"
    " Chicken Fish Cheese Bacon Pizza Salad Sausages Chips"
)

COMPANY_SUFFIXES = _words("Inc|LLC|Group|Ltd|and Sons")
CATCH_ADJECTIVES = _words(
    "Adaptive Advanced Automated Balanced Centralized Configurable Cross-platform Customizable"
    " Decentralized Distributed Enhanced Expanded Fundamental Innovative Integrated Managed Multi-layered"
    " Networked Open-source Optimized Proactive Robust Secured Streamlined Synergized Universal"
    " User-friendly Versatile Virtual"
)
CATCH_DESCRIPTORS = _words(
    "24/7|3rd generation|asymmetric|client-driven|content-based|context-sensitive|dynamic|executive"
    "|fault-tolerant|global|heuristic|hybrid|local|mission-critical|modular|multimedia|next generation"
    "|real-time|scalable|static|systematic|tangible|value-added|zero defect"
)
CATCH_NOUNS = _words(
    "ability|access|adapter|algorithm|alliance|analyzer|application|approach|architecture|array|benchmark"
    "|capability|circuit|concept|database|encoding|firmware|framework|function|hardware|hierarchy|hub"
    "|infrastructure|initiative|interface|knowledge base|middleware|model|paradigm|portal|product|project"
    "|protocol|service|solution|strategy|support|synergy|system|throughput|workforce"
)
BS_BUZZ = _words(
    "implement utilize integrate streamline optimize evolve transform embrace enable orchestrate leverage"
    " reinvent aggregate architect enhance empower monetize harness facilitate synergize deploy grow target"
    " syndicate deliver engage maximize benchmark expedite visualize repurpose innovate scale unleash"
    " extend revolutionize iterate cultivate redefine"
)
BS_ADJECTIVES = _words(
    "value-added vertical proactive robust revolutionary scalable leading-edge innovative intuitive"
    " strategic mission-critical sticky one-to-one 24/7 end-to-end global B2B B2C granular frictionless"
    " virtual viral dynamic best-of-breed bleeding-edge web-enabled interactive real-time efficient"
    " distributed seamless extensible turn-key world-class open-source cross-platform bricks-and-clicks"
    " out-of-the-box"
)
BS_NOUNS = _words(
    "synergies paradigms markets partnerships infrastructures platforms initiatives channels communities"
    " ROI solutions portals niches technologies content supply-chains relationships architectures"
    " interfaces e-markets systems bandwidth models mindshare deliverables users schemas networks"
    " applications metrics experiences methodologies blockchains"
)

HACKER_ABBREVIATIONS = _words(
    "API DNS CPU GPU SSD HTML TLS UDP SSH JSON XML SQL USB RAM HTTP CSS PNG SMTP FTP RSS PCI AGP TCP SMS"
)
HACKER_ADJECTIVES = _words(
    "auxiliary|primary|back-end|digital|open-source|virtual|cross-platform|redundant|online|haptic"
    "|multi-byte|bluetooth|wireless|1080p|neural|optical|solid state|mobile"
)
HACKER_NOUNS = _words(
    "driver|protocol|bandwidth|panel|microchip|program|port|card|array|interface|system|sensor|firewall"
    "|hard drive|pixel|alarm|feed|monitor|application|transmitter|bus|circuit|capacitor|matrix"
)
HACKER_VERBS = _words(
    "back up|bypass|hack|override|compress|copy|navigate|index|connect|generate|quantify|calculate"
    "|synthesize|input|transmit|program|reboot|parse"
)
HACKER_INGVERBS = _words(
    "backing up|bypassing|hacking|overriding|compressing|copying|navigating|indexing|connecting"
    "|generating|quantifying|calculating|synthesizing|transmitting|programming|parsing|rebooting"
)
PHRASES = (
    "Try {ingverb} the {abbr} {noun}, then {verb} the {adj} {noun}.",
    "The {adj} {noun} keeps failing, so {verb} the {abbr} {noun} first!",
    "Once you {verb} the {noun}, the {abbr} {noun} will stop {ingverb}.",
    "Don't {verb} the {adj} {noun}; {verb2} the {abbr} {noun} instead!",
    "{Ingverb} the {noun} won't help, we have to {verb} the {adj} {abbr} {noun}!",
)

DB_COLUMNS = _words(
    "id uuid name title email phone password token status group category comment avatar slug price"
    " quantity createdAt updatedAt deletedAt"
)
DB_TYPES = _words(
    "int varchar text date datetime timestamp time boolean float double decimal bigint smallint tinyint"
    " mediumint blob binary bit char enum set json point geometry serial real"
)
DB_COLLATIONS = _words(
    "utf8_unicode_ci utf8_general_ci utf8_bin ascii_bin ascii_general_ci cp1250_bin cp1250_general_ci"
    " utf8mb4_general_ci utf8mb4_unicode_ci latin1_swedish_ci"
)
DB_ENGINES = _words("InnoDB MyISAM MEMORY CSV BLACKHOLE ARCHIVE MERGE FEDERATED")

ACCOUNT_TYPES = _words(
    "Checking|Savings|Money Market|Investment|Home Loan|Credit Card|Auto Loan|Personal Loan"
)
TRANSACTION_TYPES = _words("deposit withdrawal payment invoice")
CURRENCIES = (
    ("USD", "US Dollar", "$"), ("EUR", "Euro", "€"), ("GBP", "Pound Sterling", "£"), ("JPY", "Yen", "¥"),
    ("CNY", "Yuan Renminbi", "¥"), ("INR", "Indian Rupee", "₹"), ("KRW", "Won", "₩"), ("NGN", "Naira", "₦"),
    ("PHP", "Philippine Peso", "₱"), ("THB", "Baht", "฿"), ("UAH", "Hryvnia", "₴"),
    ("ILS", "New Israeli Sheqel", "₪"), ("VND", "Dong", "₫"), ("TRY", "Turkish Lira", "₺"),
    ("MNT", "Tugrik", "₮"), ("LAK", "Kip", "₭"), ("CRC", "Costa Rican Colon", "₡"),
    ("BRL", "Brazilian Real", "R$"), ("SEK", "Swedish Krona", "kr"), ("PLN", "Zloty", "zł"),
)  # fmt: skip
# Country code -> BBAN layout (ISO 13616): runs of <count><kind>, kind n=digit, a=letter, c=either.
IBAN_LAYOUTS = {
    "DE": "18n", "GB": "4a14n", "FR": "10n11c2n", "ES": "20n", "IT": "1a10n12c", "NL": "4a10n",
    "BE": "12n", "CH": "5n12c", "AT": "16n", "PL": "24n", "SE": "20n", "NO": "11n", "DK": "14n",
    "FI": "14n", "PT": "21n", "IE": "4a14n", "LU": "3n13c", "CZ": "20n", "GR": "7n16c", "QA": "4a21c",
}  # fmt: skip
_IBAN_ITEMS = tuple(IBAN_LAYOUTS.items())
_IBAN_POOLS = {
    "n": string.digits,
    "a": string.ascii_uppercase,
    "c": string.digits * 8 + string.ascii_uppercase,
}
_LAYOUT_RUN = re.compile(r"(\d+)([nac])")
_NOT_SLUG = re.compile(r"[^a-z0-9-]")

FREE_EMAIL_DOMAINS = _words("gmail.com yahoo.com hotmail.com")
EXAMPLE_EMAIL_DOMAINS = _words("example.com example.net example.org")
DOMAIN_SUFFIXES = _words("com biz info name net org")
DIRECTORY_PATHS = _words(
    "/bin /boot /dev /etc /etc/ssl /home /home/user /home/user/dir /lib /media /mnt /opt /opt/bin /proc"
    " /root /sbin /srv /sys /tmp /usr /usr/bin /usr/lib /usr/local/bin /usr/share /var /var/log /var/tmp"
    " /Applications /Users /Library"
)
# MIME type -> file extensions; the first block is what Postman calls "common".
COMMON_MIME_TYPES = {
    "application/pdf": "pdf", "audio/mpeg": "mp3 mpga m2a m3a mp2 mp2a", "audio/wav": "wav",
    "image/png": "png", "image/jpeg": "jpg jpeg jpe", "image/gif": "gif", "video/mp4": "mp4 mp4v mpg4",
    "video/mpeg": "mpeg mpg mpe m1v m2v", "text/html": "html htm shtml",
}  # fmt: skip
MIME_TYPES = COMMON_MIME_TYPES | {
    "application/json": "json", "application/zip": "zip", "application/gzip": "gz",
    "application/xml": "xml", "application/msword": "doc", "application/vnd.ms-excel": "xls",
    "application/octet-stream": "bin", "application/x-tar": "tar", "application/javascript": "js mjs",
    "application/rtf": "rtf", "application/vnd.oasis.opendocument.text": "odt",
    "application/x-7z-compressed": "7z", "application/epub+zip": "epub", "application/wasm": "wasm",
    "audio/ogg": "oga ogg", "audio/flac": "flac", "image/svg+xml": "svg", "image/webp": "webp",
    "image/bmp": "bmp", "image/tiff": "tif tiff", "video/webm": "webm", "video/quicktime": "mov qt",
    "text/plain": "txt text log", "text/css": "css", "text/csv": "csv", "text/calendar": "ics",
    "font/woff": "woff", "font/woff2": "woff2", "model/gltf+json": "gltf", "chemical/x-pdb": "pdb",
    "x-conference/x-cooltalk": "ice", "message/rfc822": "eml mime",
}  # fmt: skip
MIME_NAMES = tuple(MIME_TYPES)
FILE_TYPES = tuple(sorted({m.split("/")[0] for m in MIME_TYPES}))
COMMON_FILE_TYPES = tuple(sorted({m.split("/")[0] for m in COMMON_MIME_TYPES}))
FILE_EXTS = tuple(e for exts in MIME_TYPES.values() for e in exts.split())
COMMON_FILE_EXTS = tuple(e for exts in COMMON_MIME_TYPES.values() for e in exts.split())

LOREM_WORDS = _words(
    "lorem ipsum dolor sit amet consectetur adipisci velit sed quia non numquam eius modi tempora"
    " incidunt ut labore et dolore magnam aliquam quaerat voluptatem enim ad minima veniam quis nostrum"
    " exercitationem ullam corporis suscipit laboriosam nisi aut fugit consequuntur magni dolores eos qui"
    " ratione sequi nesciunt neque porro quisquam est"
)
# $randomWord draws one token from a grab-bag of the other lists, as Postman's does.
_WORD_SOURCES = (
    DEPARTMENTS, PRODUCT_ADJECTIVES, PRODUCT_MATERIALS, PRODUCTS, COLORS, CATCH_ADJECTIVES, CATCH_NOUNS,
    BS_BUZZ, BS_ADJECTIVES, BS_NOUNS, HACKER_NOUNS, HACKER_VERBS, HACKER_ADJECTIVES, STREET_SUFFIXES,
    TRANSACTION_TYPES, JOB_AREAS, tuple(c[0] for c in COUNTRIES), tuple(c[1] for c in CURRENCIES),
)  # fmt: skip

WEEKDAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")  # fmt: skip

_ALNUM = string.ascii_letters + string.digits
_LOWER_ALNUM = string.ascii_lowercase + string.digits
_BASE58 = "123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
_VOWELS = "AEIOU"
_DAY_MS = 24 * 3600 * 1000
_YEAR_MS = 365 * _DAY_MS


# --- helpers -----------------------------------------------------------------------------------------
def _digits(n: int) -> str:
    return "".join(_choice(string.digits) for _ in range(n))


def _letters(n: int) -> str:
    return "".join(_choice(string.ascii_uppercase) for _ in range(n))


def _js_date(ms: int) -> str:
    """Render like JavaScript's Date#toString() on a UTC host (what Newman prints in CI)."""
    t = time.gmtime(ms / 1000)
    return (
        f"{WEEKDAYS[(t.tm_wday + 1) % 7][:3]} {MONTHS[t.tm_mon - 1][:3]} {t.tm_mday:02d} {t.tm_year}"
        f" {t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} GMT+0000 (Coordinated Universal Time)"
    )


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _iso_timestamp() -> str:
    ms = _now_ms()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + f".{ms % 1000:03d}Z"


def _first_name() -> str:
    return _choice(FIRST_NAMES)


def _last_name() -> str:
    return _choice(LAST_NAMES)


def _full_name() -> str:
    """One in nine gets a prefix, one in nine a suffix, like Postman's."""
    roll = _randint(0, 8)
    name = f"{_first_name()} {_last_name()}"
    if roll == 0:
        return f"{_choice(NAME_PREFIXES)} {name}"
    return f"{name} {_choice(NAME_SUFFIXES)}" if roll == 1 else name


def _user_name() -> str:
    first, last = _first_name(), _last_name()
    roll = _randint(0, 2)
    if roll == 0:
        name = f"{first}{_randint(0, 99)}"
    else:
        name = f"{first}{_choice('._')}{last}" + (str(_randint(0, 99)) if roll == 2 else "")
    return name.replace("'", "").replace(" ", "")


def _email(domains: tuple[str, ...]) -> str:
    return f"{_user_name()}@{_choice(domains)}"


def _domain_word() -> str:
    return _first_name().lower().replace("'", "")


def _domain_name() -> str:
    return f"{_domain_word()}.{_choice(DOMAIN_SUFFIXES)}"


def _phone() -> str:
    return f"{_randint(2, 9)}{_digits(2)}-{_randint(2, 9)}{_digits(2)}-{_digits(4)}"


def _city() -> str:
    roll = _randint(0, 4)
    if roll == 0:
        return f"{_choice(CITY_PREFIXES)} {_first_name()}{_choice(CITY_SUFFIXES)}"
    if roll == 1:
        return f"{_choice(CITY_PREFIXES)} {_first_name()}"
    if roll == 2:
        return f"{_choice((_first_name, _last_name))()}{_choice(CITY_SUFFIXES)}"
    return _choice(CITIES)


def _street_name() -> str:
    return f"{_choice((_first_name, _last_name))()} {_choice(STREET_SUFFIXES)}"


def _company_name() -> str:
    roll = _randint(0, 2)
    if roll == 0:
        return f"{_last_name()} {_choice(COMPANY_SUFFIXES)}"
    if roll == 1:
        return f"{_last_name()} - {_last_name()}"
    return f"{_last_name()}, {_last_name()} and {_last_name()}"


def _hacker_phrase() -> str:
    ingverb = _choice(HACKER_INGVERBS)
    return _choice(PHRASES).format(
        verb=_choice(HACKER_VERBS), verb2=_choice(HACKER_VERBS), ingverb=ingverb,
        Ingverb=ingverb.capitalize(), noun=_choice(HACKER_NOUNS), adj=_choice(HACKER_ADJECTIVES),
        abbr=_choice(HACKER_ABBREVIATIONS),
    )  # fmt: skip


def _random_word() -> str:
    return _choice(_choice(_choice(_WORD_SOURCES)).split())


def _lorem_words(n: int = 3) -> str:
    return " ".join(_choice(LOREM_WORDS) for _ in range(n))


def _lorem_sentence() -> str:
    s = _lorem_words(_randint(3, 10))
    return s[0].upper() + s[1:] + "."


def _lorem_sentences(n: int | None = None, sep: str = " ") -> str:
    return sep.join(_lorem_sentence() for _ in range(_randint(2, 6) if n is None else n))


def _lorem_paragraph() -> str:
    return _lorem_sentences(3 + _randint(0, 3))


def _lorem_paragraphs() -> str:
    # Postman (faker) really joins paragraphs with "\n \r".
    return "\n \r".join(_lorem_paragraph() for _ in range(3))


def _lorem_lines() -> str:
    return _lorem_sentences(_randint(1, 5), "\n")


_LOREM_TEXT_KINDS: tuple[Callable[[], str], ...] = (
    lambda: _choice(LOREM_WORDS), _lorem_words, _lorem_sentence, _lorem_sentences, _lorem_paragraph,
    _lorem_paragraphs, _lorem_lines,
)  # fmt: skip


def _file_name(exts: tuple[str, ...]) -> str:
    stem = "_".join(_NOT_SLUG.sub("", _random_word().lower()) for _ in range(_randint(1, 3)))
    return f"{stem}.{_choice(exts)}"


def _iban() -> str:
    """A country-shaped IBAN with a valid mod-97 check, as Postman's are."""
    country, layout = _choice(_IBAN_ITEMS)
    bban = [
        _choice(_IBAN_POOLS[kind]) for count, kind in _LAYOUT_RUN.findall(layout) for _ in range(int(count))
    ]
    body = "".join(bban)
    numeric = "".join(str(int(c, 36)) for c in body + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{body}"


def _bic() -> str:
    roll = _randint(0, 99)
    branch = ""
    if roll < 10:
        branch = _letters(1) + _choice(_VOWELS) + _letters(1)
    elif roll < 40:
        branch = _digits(3)
    return f"{_letters(3)}{_choice(_VOWELS)}{_choice(COUNTRIES)[1]}{_letters(1)}1{branch}"


def _bitcoin() -> str:
    return _choice("13") + "".join(_choice(_BASE58) for _ in range(_randint(24, 33)))


def _hex_color() -> str:
    # Postman averages each channel with 0, so components never exceed 0x80 (dark-ish colours).
    return "#" + "".join(f"{_randint(0, 256) // 2:02x}" for _ in range(3))


def _user_agent() -> str:
    chrome = f"{_randint(60, 126)}.0.{_randint(3000, 6500)}.{_randint(0, 200)}"
    mac = f"10_{_randint(9, 15)}_{_randint(0, 7)}"
    ff = _randint(60, 128)
    win = _choice(("10.0", "6.1", "6.3"))
    return _choice((
        f"Mozilla/5.0 (Windows NT {win}; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        f" Chrome/{chrome} Safari/537.36",
        f"Mozilla/5.0 (Macintosh; Intel Mac OS X {mac}) AppleWebKit/537.36 (KHTML, like Gecko)"
        f" Chrome/{chrome} Safari/537.36",
        f"Mozilla/5.0 (Windows NT {win}; Win64; x64; rv:{ff}.0) Gecko/20100101 Firefox/{ff}.0",
        f"Mozilla/5.0 (X11; Linux x86_64; rv:{ff}.0) Gecko/20100101 Firefox/{ff}.0",
        f"Mozilla/5.0 (Macintosh; Intel Mac OS X {mac}) AppleWebKit/605.1.15 (KHTML, like Gecko)"
        f" Version/{_randint(12, 17)}.{_randint(0, 6)} Safari/605.1.15",
        f"Mozilla/5.0 (compatible; MSIE {_randint(7, 10)}.0; Windows NT {_choice(('5.1', '6.0', '6.1'))};"
        f" Trident/{_randint(4, 7)}.0)",
    ))  # fmt: skip


def _image_data_uri() -> str:
    # Postman's own is an SVG whose size came out as 'undefined'; ours is a sane 640x480 placeholder.
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" baseProfile="full" width="640" height="480">'
        '<rect width="100%" height="100%" fill="grey"/><text x="320" y="240" font-size="20"'
        ' alignment-baseline="middle" text-anchor="middle" fill="white">640x480</text></svg>'
    )
    return "data:image/svg+xml;charset=UTF-8," + quote(svg, safe="")


_IMAGE_DATA_URI = _image_data_uri()  # constant, like Postman's


def _placeimg(category: str = "") -> Callable[[], str]:
    """Postman returns fixed placeimg.com URLs (not random at all)."""
    url = "http://placeimg.com/640/480" + (f"/{category}" if category else "")
    return lambda: url


def _latlong(limit: int) -> Callable[[], str]:
    return lambda: f"{_randint(-limit * 10000, limit * 10000) / 10000:.4f}"


def _pick(options: tuple[str, ...]) -> Callable[[], str]:
    return lambda: _choice(options)


# --- the table ---------------------------------------------------------------------------------------
_GENERATORS: dict[str, Callable[[], str]] = {
    "$guid": lambda: str(uuid.uuid4()),
    "$timestamp": lambda: str(round(time.time())),  # JS Math.round, not floor
    "$isoTimestamp": _iso_timestamp,
    "$randomInt": lambda: str(_randint(0, 1000)),
    "$randomPhoneNumber": _phone,
    "$randomPhoneNumberExt": lambda: f"{_randint(1, 99)}-{_phone()}",
    "$randomLocale": _pick(LOCALES),
    "$randomWords": lambda: " ".join(_random_word() for _ in range(_randint(2, 5))),
    "$randomFilePath": lambda: f"{_choice(DIRECTORY_PATHS)}/{_file_name(FILE_EXTS)}",
    "$randomDirectoryPath": _pick(DIRECTORY_PATHS),
    # address
    "$randomCity": _city,
    "$randomStreetName": _street_name,
    "$randomStreetAddress": lambda: f"{_digits(_randint(3, 5))} {_street_name()}",
    "$randomCountry": lambda: _choice(COUNTRIES)[0],
    "$randomCountryCode": lambda: _choice(COUNTRIES)[1],
    "$randomLatitude": _latlong(90),
    "$randomLongitude": _latlong(180),
    # commerce
    "$randomColor": _pick(COLORS),
    "$randomDepartment": _pick(DEPARTMENTS),
    "$randomProductName": lambda: (
        f"{_choice(PRODUCT_ADJECTIVES)} {_choice(PRODUCT_MATERIALS)} {_choice(PRODUCTS)}"
    ),
    "$randomProductAdjective": _pick(PRODUCT_ADJECTIVES),
    "$randomProductMaterial": _pick(PRODUCT_MATERIALS),
    "$randomProduct": _pick(PRODUCTS),
    # company
    "$randomCompanyName": _company_name,
    "$randomCompanySuffix": _pick(COMPANY_SUFFIXES),
    "$randomCatchPhrase": lambda: (
        f"{_choice(CATCH_ADJECTIVES)} {_choice(CATCH_DESCRIPTORS)} {_choice(CATCH_NOUNS)}"
    ),
    "$randomBs": lambda: f"{_choice(BS_BUZZ)} {_choice(BS_ADJECTIVES)} {_choice(BS_NOUNS)}",
    "$randomCatchPhraseAdjective": _pick(CATCH_ADJECTIVES),
    "$randomCatchPhraseDescriptor": _pick(CATCH_DESCRIPTORS),
    "$randomCatchPhraseNoun": _pick(CATCH_NOUNS),
    "$randomBsAdjective": _pick(BS_ADJECTIVES),
    "$randomBsBuzz": _pick(BS_BUZZ),
    "$randomBsNoun": _pick(BS_NOUNS),
    # database
    "$randomDatabaseColumn": _pick(DB_COLUMNS),
    "$randomDatabaseType": _pick(DB_TYPES),
    "$randomDatabaseCollation": _pick(DB_COLLATIONS),
    "$randomDatabaseEngine": _pick(DB_ENGINES),
    # dates (JS Date strings; past/future within a year, recent within a day)
    "$randomDatePast": lambda: _js_date(_now_ms() - _randint(1000, _YEAR_MS)),
    "$randomDateFuture": lambda: _js_date(_now_ms() + _randint(1000, _YEAR_MS)),
    "$randomDateRecent": lambda: _js_date(_now_ms() - _randint(1000, _DAY_MS)),
    "$randomMonth": _pick(MONTHS),
    "$randomWeekday": _pick(WEEKDAYS),
    # finance
    "$randomBankAccount": lambda: _digits(8),
    "$randomBankAccountName": lambda: f"{_choice(ACCOUNT_TYPES)} Account",
    "$randomCreditCardMask": lambda: _digits(4),
    "$randomPrice": lambda: f"{_randint(0, 100000) / 100:.2f}",
    "$randomTransactionType": _pick(TRANSACTION_TYPES),
    "$randomCurrencyCode": lambda: _choice(CURRENCIES)[0],
    "$randomCurrencyName": lambda: _choice(CURRENCIES)[1],
    "$randomCurrencySymbol": lambda: _choice(CURRENCIES)[2],
    "$randomBitcoin": _bitcoin,
    "$randomBankAccountIban": _iban,
    "$randomBankAccountBic": _bic,
    # hacker
    "$randomAbbreviation": _pick(HACKER_ABBREVIATIONS),
    "$randomAdjective": _pick(HACKER_ADJECTIVES),
    "$randomNoun": _pick(HACKER_NOUNS),
    "$randomVerb": _pick(HACKER_VERBS),
    "$randomIngverb": _pick(HACKER_INGVERBS),
    "$randomPhrase": _hacker_phrase,
    # images
    "$randomAvatarImage": lambda: f"https://avatars.githubusercontent.com/u/{_randint(0, 100_000_000)}",
    "$randomImageUrl": _placeimg(),
    **{
        f"$random{kind}Image": _placeimg(kind.lower())
        for kind in _words(
            "Abstract Animals Business Cats City Food Nightlife Fashion People Nature Sports Transport"
        )
    },
    "$randomImageDataUri": lambda: _IMAGE_DATA_URI,
    # internet
    "$randomEmail": lambda: _email(FREE_EMAIL_DOMAINS),
    "$randomExampleEmail": lambda: _email(EXAMPLE_EMAIL_DOMAINS),
    "$randomUserName": _user_name,
    "$randomProtocol": _pick(("http", "https")),
    "$randomUrl": lambda: f"{_choice(('http', 'https'))}://{_domain_name()}",
    "$randomDomainName": _domain_name,
    "$randomDomainSuffix": _pick(DOMAIN_SUFFIXES),
    "$randomDomainWord": _domain_word,
    "$randomIP": lambda: ".".join(str(_randint(0, 255)) for _ in range(4)),
    "$randomIPV6": lambda: ":".join(f"{_rng.getrandbits(16):04x}" for _ in range(8)),
    "$randomUserAgent": _user_agent,
    "$randomHexColor": _hex_color,
    "$randomMACAddress": lambda: ":".join(f"{_rng.getrandbits(8):02x}" for _ in range(6)),
    "$randomPassword": lambda: "".join(secrets.choice(_ALNUM) for _ in range(15)),
    # lorem
    "$randomLoremWord": _pick(LOREM_WORDS),
    "$randomLoremWords": _lorem_words,
    "$randomLoremSentence": _lorem_sentence,
    "$randomLoremSlug": lambda: _lorem_words().replace(" ", "-"),
    "$randomLoremSentences": _lorem_sentences,
    "$randomLoremParagraph": _lorem_paragraph,
    "$randomLoremParagraphs": _lorem_paragraphs,
    "$randomLoremText": lambda: _choice(_LOREM_TEXT_KINDS)(),
    "$randomLoremLines": _lorem_lines,
    # names
    "$randomFirstName": _first_name,
    "$randomLastName": _last_name,
    "$randomFullName": _full_name,
    "$randomJobTitle": lambda: f"{_choice(JOB_DESCRIPTORS)} {_choice(JOB_AREAS)} {_choice(JOB_TYPES)}",
    "$randomNamePrefix": _pick(NAME_PREFIXES),
    "$randomNameSuffix": _pick(NAME_SUFFIXES),
    "$randomJobDescriptor": _pick(JOB_DESCRIPTORS),
    "$randomJobArea": _pick(JOB_AREAS),
    "$randomJobType": _pick(JOB_TYPES),
    # misc
    "$randomUUID": lambda: str(uuid.uuid4()),
    "$randomBoolean": lambda: _choice(("true", "false")),
    "$randomWord": _random_word,
    "$randomAlphaNumeric": lambda: _choice(_LOWER_ALNUM),
    # system
    "$randomFileName": lambda: _file_name(FILE_EXTS),
    "$randomCommonFileName": lambda: _file_name(COMMON_FILE_EXTS),
    "$randomMimeType": _pick(MIME_NAMES),
    "$randomCommonFileType": _pick(COMMON_FILE_TYPES),
    "$randomCommonFileExt": _pick(COMMON_FILE_EXTS),
    "$randomFileType": _pick(FILE_TYPES),
    "$randomFileExt": _pick(FILE_EXTS),
    "$randomSemver": lambda: f"{_randint(0, 9)}.{_randint(0, 9)}.{_randint(0, 9)}",
}

# Every name Postman documents (postman-collection's dynamic-variables table, 118 names).
ALL_NAMES: frozenset[str] = frozenset(
    "$" + n
    for n in (
        "guid timestamp isoTimestamp randomInt randomPhoneNumber randomPhoneNumberExt randomLocale"
        " randomWords randomFilePath randomDirectoryPath randomCity randomStreetName randomStreetAddress"
        " randomCountry randomCountryCode randomLatitude randomLongitude randomColor randomDepartment"
        " randomProductName randomProductAdjective randomProductMaterial randomProduct randomCompanyName"
        " randomCompanySuffix randomCatchPhrase randomBs randomCatchPhraseAdjective"
        " randomCatchPhraseDescriptor randomCatchPhraseNoun randomBsAdjective randomBsBuzz randomBsNoun"
        " randomDatabaseColumn randomDatabaseType randomDatabaseCollation randomDatabaseEngine"
        " randomDatePast randomDateFuture randomDateRecent randomMonth randomWeekday randomBankAccount"
        " randomBankAccountName randomCreditCardMask randomPrice randomTransactionType randomCurrencyCode"
        " randomCurrencyName randomCurrencySymbol randomBitcoin randomBankAccountIban randomBankAccountBic"
        " randomAbbreviation randomAdjective randomNoun randomVerb randomIngverb randomPhrase"
        " randomAvatarImage randomImageUrl randomAbstractImage randomAnimalsImage randomBusinessImage"
        " randomCatsImage randomCityImage randomFoodImage randomNightlifeImage randomFashionImage"
        " randomPeopleImage randomNatureImage randomSportsImage randomTransportImage randomImageDataUri"
        " randomEmail randomExampleEmail randomUserName randomProtocol randomUrl randomDomainName"
        " randomDomainSuffix randomDomainWord randomIP randomIPV6 randomUserAgent randomHexColor"
        " randomMACAddress randomPassword randomLoremWord randomLoremWords randomLoremSentence"
        " randomLoremSlug randomLoremSentences randomLoremParagraph randomLoremParagraphs randomLoremText"
        " randomLoremLines randomFirstName randomLastName randomFullName randomJobTitle randomNamePrefix"
        " randomNameSuffix randomJobDescriptor randomJobArea randomJobType randomUUID randomBoolean"
        " randomWord randomAlphaNumeric randomFileName randomCommonFileName randomMimeType"
        " randomCommonFileType randomCommonFileExt randomFileType randomFileExt randomSemver"
    ).split()
)

DYNAMIC_VARIABLES: Mapping[str, Callable[[], str]] = MappingProxyType(_GENERATORS)
MISSING: frozenset[str] = ALL_NAMES - _GENERATORS.keys()


def dynamic_value(name: str) -> str | None:
    """A fresh value for ``name`` (with its '$'), or None so callers can leave ``{{name}}`` unresolved."""
    gen = _GENERATORS.get(name)
    return gen() if gen is not None else None
