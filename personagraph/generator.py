"""Dirty multi-source demo data with ground truth.

``generate(GeneratorConfig(people=1000, seed=42), out_dir)`` writes ``out_dir/raw/<table>.csv``
(or ``.parquet``) for every raw table of the data contract and ``out_dir/truth/`` with the
true person behind every record (``records.csv``), every normalised identifier
(``identifiers.csv``), the clean people (``people.csv``) and ``summary.json``.

Everything is vectorised with numpy and pyarrow and written in chunks of people, so a
million people take minutes, and the same seed and configuration give the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

# --------------------------------------------------------------------------------------
# The contract
# --------------------------------------------------------------------------------------

TABLES: dict[str, list[str]] = {
    "web_events": [
        "event_id", "event_at", "anonymous_id", "user_id", "email", "esp_record_id",
        "event_type", "page_url", "product_id", "device_type", "ip_address", "user_agent",
    ],
    "app_events": [
        "event_id", "event_at", "device_id", "user_id", "event_type", "product_id",
        "platform", "app_version",
    ],
    "shop_customers": [
        "customer_id", "email", "phone", "first_name", "last_name", "created_at",
        "updated_at", "accepts_marketing",
    ],
    "shop_orders": [
        "order_id", "customer_id", "email", "phone", "ordered_at", "channel", "store_id",
        "currency", "total_amount", "discount_amount", "status", "loyalty_id",
        "payment_fingerprint", "ship_address_line1", "ship_city", "ship_postcode",
        "ship_country",
    ],
    "order_lines": ["order_id", "line_number", "product_id", "quantity", "unit_price"],
    "products": ["product_id", "product_name", "category", "price"],
    "esp_contacts": ["esp_record_id", "email", "subscribed", "subscribed_at", "unsubscribed_at"],
    "esp_events": ["esp_record_id", "event_at", "event_type", "campaign_id"],
    "crm_contacts": [
        "contact_id", "first_name", "last_name", "date_of_birth", "email", "personal_email",
        "phone", "address_line1", "address_line2", "city", "postcode", "region", "country",
        "company", "job_title", "updated_at",
    ],
    "support_tickets": [
        "ticket_id", "created_at", "channel", "email", "phone", "customer_name", "topic",
        "satisfaction_score",
    ],
    "loyalty_members": [
        "loyalty_id", "email", "phone", "first_name", "last_name", "date_of_birth",
        "postcode", "tier", "points_balance", "joined_at",
    ],
    "enrichment_profiles": [
        "email", "social_handle", "interests", "age_band", "influence_score", "fetched_at",
    ],
    "consent_events": [
        "subject_type", "subject_value", "purpose", "status", "recorded_at", "source",
    ],
    "privacy_requests": [
        "request_id", "subject_type", "subject_value", "request_type", "requested_at",
    ],
}  # fmt: skip

#: Tables whose rows are records of their own, with the record id column.
RECORD_ID: dict[str, str] = {
    "web_events": "event_id",
    "app_events": "event_id",
    "shop_customers": "customer_id",
    "shop_orders": "order_id",
    "esp_contacts": "esp_record_id",
    "crm_contacts": "contact_id",
    "support_tickets": "ticket_id",
    "loyalty_members": "loyalty_id",
}

TRUTH_RECORDS = ["source_table", "source_record_id", "person_id", "defect"]
TRUTH_IDENTIFIERS = ["identifier_type", "identifier_value", "person_id", "kind"]
TRUTH_PEOPLE = [
    "person_id", "first_name", "last_name", "date_of_birth", "primary_email", "work_email",
    "phone_e164", "postcode", "city", "country", "is_b2b", "household_id",
]  # fmt: skip

DEFECTS = [
    "",
    "missing_id",
    "bad_timestamp",
    "bad_number",
    "negative_quantity",
    "bad_optional_value",
    "duplicate_key_conflict",
    "new_version",
]
D_NONE, D_MISSING, D_TS, D_NUM, D_NEGQ, D_OPT, D_CONFLICT, D_VERSION = range(len(DEFECTS))

# --------------------------------------------------------------------------------------
# Configuration and summary
# --------------------------------------------------------------------------------------

SITUATIONS: dict[str, str] = {
    "multi_device": "share of people with web or app activity using several cookies/devices",
    "anonymous_then_login": "share of shop customers' cookies browsing anonymously, then login",
    "form_submit": "share of cookies that submit a form carrying an email",
    "guest_checkout": "share of orders placed as a guest (only email or only phone)",
    "email_clickthrough": "share of ESP clicks that land on the web with the esp_record_id",
    "forwarded_click": "share of click-throughs made by someone else (a forwarded email)",
    "shared_family_device": "share of multi-person households sharing a tablet/app device",
    "store_shared_email": "share of store orders carrying the store's own email address",
    "b2b": "share of people with a work email, company and job title in the CRM",
    "name_variants": "share of written names with a typo, initial, nickname or accent dropped",
    "foreign_people": "share of people living in US/IE/DE/AU (international phone format)",
    "phone_formats": "share of GB phone values in a non-canonical national format",
    "address_variants": "share of addresses written St/Rd/Ave, Apt for Flat, postcode variants",
    "moved_address": "share of people who moved: older records keep the old address",
    "changed_email": "share of people who changed email: older records keep the old one",
    "messy_text": "share of text values with mixed case or stray whitespace",
    "date_formats": "share of timestamps/dates written dd/mm/yyyy or ISO with 'T' and offset",
    "boolean_formats": "share of booleans written yes/no/1/0/Y/N instead of true/false",
    "junk_values": "share of contact values replaced by junk (test@test.com, 0000000000, n/a)",
    "exact_duplicates": "share of rows written twice, byte for byte",
    "duplicate_key_conflicts": "share of records repeated with the same id, different content",
    "new_versions": "share of customers/CRM contacts exported again with a later updated_at",
    "missing_id": "share of records whose id is blank",
    "bad_timestamp": "share of records whose main timestamp cannot be parsed",
    "bad_number": "share of orders whose total_amount is not a number",
    "negative_quantity": "share of order lines with a negative quantity",
    "bad_optional_value": "share of records with a garbage optional value (date of birth...)",
    "wrong_field_count": "share of CSV lines with too many/too few fields (min 2 per table)",
}

DEFAULT_RATES: dict[str, float] = {
    "multi_device": 0.35,
    "anonymous_then_login": 0.6,
    "form_submit": 0.05,
    "guest_checkout": 0.12,
    "email_clickthrough": 0.6,
    "forwarded_click": 0.05,
    "shared_family_device": 0.3,
    "store_shared_email": 0.3,
    "b2b": 0.08,
    "name_variants": 0.2,
    "foreign_people": 0.1,
    "phone_formats": 0.6,
    "address_variants": 0.3,
    "moved_address": 0.08,
    "changed_email": 0.07,
    "messy_text": 0.08,
    "date_formats": 0.12,
    "boolean_formats": 0.3,
    "junk_values": 0.02,
    "exact_duplicates": 0.02,
    "duplicate_key_conflicts": 0.003,
    "new_versions": 0.05,
    "missing_id": 0.001,
    "bad_timestamp": 0.002,
    "bad_number": 0.003,
    "negative_quantity": 0.003,
    "bad_optional_value": 0.004,
    "wrong_field_count": 0.0001,
}


def _rate_field(name: str) -> float:
    return field(default=DEFAULT_RATES[name], metadata={"help": SITUATIONS[name]})


@dataclass
class GeneratorConfig:
    """How many people, which seed, and the rate of every situation (0 switches it off)."""

    people: int = 1000
    seed: int = 42
    chunk_people: int = 20_000
    multi_device: float = _rate_field("multi_device")
    anonymous_then_login: float = _rate_field("anonymous_then_login")
    form_submit: float = _rate_field("form_submit")
    guest_checkout: float = _rate_field("guest_checkout")
    email_clickthrough: float = _rate_field("email_clickthrough")
    forwarded_click: float = _rate_field("forwarded_click")
    shared_family_device: float = _rate_field("shared_family_device")
    store_shared_email: float = _rate_field("store_shared_email")
    b2b: float = _rate_field("b2b")
    name_variants: float = _rate_field("name_variants")
    foreign_people: float = _rate_field("foreign_people")
    phone_formats: float = _rate_field("phone_formats")
    address_variants: float = _rate_field("address_variants")
    moved_address: float = _rate_field("moved_address")
    changed_email: float = _rate_field("changed_email")
    messy_text: float = _rate_field("messy_text")
    date_formats: float = _rate_field("date_formats")
    boolean_formats: float = _rate_field("boolean_formats")
    junk_values: float = _rate_field("junk_values")
    exact_duplicates: float = _rate_field("exact_duplicates")
    duplicate_key_conflicts: float = _rate_field("duplicate_key_conflicts")
    new_versions: float = _rate_field("new_versions")
    missing_id: float = _rate_field("missing_id")
    bad_timestamp: float = _rate_field("bad_timestamp")
    bad_number: float = _rate_field("bad_number")
    negative_quantity: float = _rate_field("negative_quantity")
    bad_optional_value: float = _rate_field("bad_optional_value")
    wrong_field_count: float = _rate_field("wrong_field_count")

    def __post_init__(self) -> None:
        if self.people < 1:
            raise ValueError("people must be at least 1")
        if self.chunk_people < 1:
            raise ValueError("chunk_people must be at least 1")
        for name in SITUATIONS:
            rate = getattr(self, name)
            if not 0.0 <= float(rate) <= 1.0:
                raise ValueError(f"rate {name}={rate} is not between 0 and 1")
            setattr(self, name, float(rate))

    def rates(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in SITUATIONS}

    def with_rates(self, **rates: float) -> GeneratorConfig:
        unknown = sorted(set(rates) - set(SITUATIONS))
        if unknown:
            raise ValueError(f"unknown situation(s): {', '.join(unknown)}")
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(rates)
        return GeneratorConfig(**values)


@dataclass
class Summary:
    """Counts of what was written; ``render()`` gives a text table (no personal values)."""

    people: int
    seed: int
    file_format: str
    rates: dict[str, float]
    situations: dict[str, int]
    tables: dict[str, dict[str, int]]
    truth: dict[str, int]
    out_dir: Path
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {
            "people": self.people,
            "seed": self.seed,
            "format": self.file_format,
            "rates": self.rates,
            "situations": self.situations,
            "tables": self.tables,
            "truth": self.truth,
        }

    @property
    def total_rows(self) -> int:
        return sum(t["rows"] for t in self.tables.values())

    def render(self) -> str:
        lines = [
            f"generated {self.people:,} people (seed {self.seed}, {self.file_format}) "
            f"into {self.out_dir} in {self.seconds:.1f} s",
            "",
            f"{'table':<22}{'rows':>14}{'exact dups':>12}{'malformed':>11}",
        ]
        for table, counts in self.tables.items():
            lines.append(
                f"{table:<22}{counts['rows']:>14,}{counts['exact_duplicates']:>12,}"
                f"{counts['malformed_lines']:>11,}"
            )
        lines.append(f"{'total':<22}{self.total_rows:>14,}")
        lines += ["", f"{'situation':<26}{'rate':>8}{'count':>14}"]
        for name, count in self.situations.items():
            lines.append(f"{name:<26}{self.rates[name]:>8.4g}{count:>14,}")
        lines += ["", f"{'truth file':<26}{'rows':>22}"]
        for name, count in self.truth.items():
            lines.append(f"{name:<26}{count:>22,}")
        return "\n".join(lines)


# --------------------------------------------------------------------------------------
# Reference data (small lists; the only place with Python loops)
# --------------------------------------------------------------------------------------

# (name, nicknames); nicknames are "the same person, written differently".
FEMALE_NAMES = [
    ("Maria", "Masha"), ("Elizabeth", "Liz"), ("Katherine", "Kate"), ("Margaret", "Maggie"),
    ("Jennifer", "Jen"), ("Rebecca", "Becky"), ("Victoria", "Vicky"), ("Alexandra", "Sasha"),
    ("Samantha", "Sam"), ("Zoë", ""), ("Ngọc", ""), ("Aoife", ""), ("Siobhán", ""),
    ("Anna", "Annie"), ("Emma", ""), ("Olivia", "Liv"), ("Sophie", ""), ("Chloe", ""),
    ("Hannah", ""), ("Priya", ""), ("Fatima", ""), ("Ewa", ""), ("Chiara", ""),
    ("Ingrid", ""), ("Susan", "Sue"), ("Patricia", "Trish"), ("Deborah", "Debbie"),
    ("Amelia", "Millie"), ("Isabella", "Bella"), ("Charlotte", "Lottie"), ("Grace", ""),
    ("Lucy", ""), ("Mei", ""), ("Renée", ""), ("Ana", ""), ("Yasmin", ""),
]  # fmt: skip
MALE_NAMES = [
    ("William", "Bill"), ("Robert", "Bob"), ("James", "Jim"), ("Michael", "Mike"),
    ("Thomas", "Tom"), ("Richard", "Rick"), ("Edward", "Ted"), ("Daniel", "Dan"),
    ("Christopher", "Chris"), ("Anthony", "Tony"), ("Joseph", "Joe"), ("Alexander", "Alex"),
    ("José", "Pepe"), ("Łukasz", ""), ("Jürgen", ""), ("Seán", ""), ("Mohammed", ""),
    ("Raj", ""), ("Oliver", "Ollie"), ("Harry", ""), ("Jack", ""), ("George", ""),
    ("Noah", ""), ("Liam", ""), ("Kenji", ""), ("Wei", ""), ("Matthew", "Matt"),
    ("Benjamin", "Ben"), ("Samuel", "Sam"), ("Nicholas", "Nick"), ("Patrick", "Paddy"),
    ("David", "Dave"), ("Andrew", "Andy"), ("Stephen", "Steve"), ("Francesco", ""),
    ("Minh", ""),
]  # fmt: skip
LAST_NAMES = [
    "Kelly", "Smith", "Jones", "Williams", "Brown", "Taylor", "Davies", "Evans", "Wilson",
    "Thomas", "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White",
    "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson",
    "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee",
    "King", "Baker", "Harrison", "Morgan", "Allen", "Scott", "Phillips", "Watson", "Davis",
    "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kaur", "Khan", "Singh",
    "O'Brien", "Murphy", "Byrne", "Walsh", "Ryan", "O'Connor", "Müller", "Schmidt",
    "Schneider", "Fischer", "Nowak", "Kowalski", "Wiśniewski", "García", "Fernández",
    "Nguyễn", "Tran", "Chen", "Wang", "Rossi", "Bianchi", "Dubois", "Andersson", "Hansen",
    "MacDonald", "McKenzie", "Ahmed", "Ali", "Okafor", "Mensah", "Silva", "Santos",
]  # fmt: skip
_ASCII_FOLD = str.maketrans(
    {"Ł": "L", "ł": "l", "ø": "o", "Ø": "O", "ß": "ss", "'": "", "đ": "d", "Đ": "D"}
)
JUNK_EMAILS = ["test@test.com", "none@none.com", "noemail@example.com"]
JUNK_PHONES = ["0000000000", "1234567890", "07777777777"]
JUNK_PHONES_E164 = ["+44000000000", "+441234567890", "+447777777777"]
JUNK_NAMES = ["n/a", "unknown", "null", "-"]
EMAIL_DOMAINS = [
    "gmail.example", "outlook.example", "yahoo.example", "icloud.example", "proton.example",
    "btinternet.example", "hotmail.example", "sky.example",
]  # fmt: skip
COMPANIES = [
    "Acme Logistics Ltd", "Northwind Traders", "Blue Harbour Consulting", "Kestrel Analytics",
    "Oakridge Partners LLP", "Brightwater Energy", "Pennine Foods", "Copperleaf Design",
    "Sterling & Vale", "Greenfield Estates", "Harbourline Shipping", "Quantum Ledger plc",
    "Riverside Dental", "Summit Outdoor Co", "Thistle Insurance", "Westgate Motors",
    "Beacon Health", "Ironbridge Engineering", "Lumen Media", "Marlow Legal",
]  # fmt: skip
JOB_TITLES = [
    "Procurement Manager", "Head of Marketing", "Office Manager", "CTO", "Buyer",
    "Operations Director", "Account Executive", "Facilities Coordinator", "CEO",
    "Senior Analyst", "HR Business Partner", "Purchasing Assistant",
]  # fmt: skip
STREETS = [
    "High", "Station", "Church", "Victoria", "Park", "Green", "Manor", "Mill", "Queen's",
    "King's", "Grange", "Albert", "New", "School", "North", "London", "Chestnut", "Elm",
    "Willow", "Castle", "Bridge", "Meadow", "Orchard", "Windsor", "York", "Cedar",
]  # fmt: skip
# (full, abbreviations...) for street types
STREET_TYPES = [
    ("Street", "St"), ("Road", "Rd"), ("Avenue", "Ave"), ("Lane", "Ln"), ("Close", "Cl"),
    ("Drive", "Dr"), ("Crescent", "Cres"), ("Gardens", "Gdns"),
]  # fmt: skip
# country -> (cities with postcode prefix and region), share among foreign people
CITIES = {
    "GB": [
        ("London", "SW", "Greater London"), ("London", "E", "Greater London"),
        ("London", "N", "Greater London"), ("Manchester", "M", "Greater Manchester"),
        ("Birmingham", "B", "West Midlands"), ("Leeds", "LS", "West Yorkshire"),
        ("Glasgow", "G", "Scotland"), ("Bristol", "BS", "South West"),
        ("Liverpool", "L", "Merseyside"), ("Edinburgh", "EH", "Scotland"),
        ("Cardiff", "CF", "Wales"), ("Belfast", "BT", "Northern Ireland"),
        ("Newcastle upon Tyne", "NE", "Tyne and Wear"), ("Sheffield", "S", "South Yorkshire"),
        ("Nottingham", "NG", "East Midlands"), ("Brighton", "BN", "East Sussex"),
        ("Oxford", "OX", "Oxfordshire"), ("Cambridge", "CB", "Cambridgeshire"),
    ],
    "US": [
        ("New York", "100", "NY"), ("Chicago", "606", "IL"), ("Austin", "787", "TX"),
        ("Seattle", "981", "WA"), ("Boston", "021", "MA"),
    ],
    "IE": [("Dublin", "D02", "Leinster"), ("Cork", "T12", "Munster"), ("Galway", "H91", "Connacht")],
    "DE": [("Berlin", "10", "Berlin"), ("München", "80", "Bayern"), ("Hamburg", "20", "Hamburg"),
           ("Köln", "50", "Nordrhein-Westfalen")],
    "AU": [("Sydney", "20", "NSW"), ("Melbourne", "30", "VIC"), ("Brisbane", "40", "QLD")],
}  # fmt: skip
COUNTRIES = ["GB", "US", "IE", "DE", "AU"]
FOREIGN_SHARE = [0.0, 0.35, 0.3, 0.2, 0.15]
COUNTRY_WRITTEN = {  # how CRM exports write a country
    "GB": ["GB", "United Kingdom", "UK", "gb"],
    "US": ["US", "United States", "USA", "us"],
    "IE": ["IE", "Ireland", "IRL", "ie"],
    "DE": ["DE", "Germany", "Deutschland", "de"],
    "AU": ["AU", "Australia", "AUS", "au"],
}
CALLING_CODE = {"GB": "44", "US": "1", "IE": "353", "DE": "49", "AU": "61"}
CATEGORIES = [
    ("Running", ["Trainers", "Shorts", "Vest", "Socks", "Jacket", "Cap"]),
    ("Cycling", ["Helmet", "Gloves", "Jersey", "Bottle", "Lights", "Pump"]),
    ("Outdoor", ["Tent", "Backpack", "Head Torch", "Stove", "Fleece", "Boots"]),
    ("Yoga", ["Mat", "Block", "Strap", "Leggings", "Bra Top", "Bolster"]),
    ("Swimming", ["Goggles", "Swimsuit", "Cap", "Towel", "Fins", "Kickboard"]),
    ("Home", ["Candle", "Throw", "Cushion", "Mug", "Vase", "Lamp"]),
    ("Kitchen", ["Pan", "Knife", "Board", "Grinder", "Kettle", "Tin"]),
    ("Garden", ["Trowel", "Gloves", "Planter", "Hose", "Seeds", "Shears"]),
    ("Beauty", ["Serum", "Cleanser", "Lip Balm", "Moisturiser", "Mask", "Brush"]),
    ("Kids", ["Puzzle", "Blocks", "Book", "Raincoat", "Wellies", "Kite"]),
    ("Tech", ["Earbuds", "Charger", "Cable", "Speaker", "Power Bank", "Stand"]),
    ("Books", ["Cookbook", "Novel", "Atlas", "Journal", "Guide", "Diary"]),
]  # fmt: skip
ADJECTIVES = [
    "Classic", "Ultra", "Everyday", "Trail", "Studio", "Nordic", "Coastal", "Urban",
    "Eco", "Pro", "Lite", "Heritage", "Summit", "Essential", "Cosy", "Rapid", "Sunset",
    "Midnight", "Alpine", "Harbour", "Meadow", "Granite", "Velvet", "Amber", "Cloud",
]  # fmt: skip
INTERESTS = [
    "running", "cycling", "hiking", "yoga", "cooking", "gardening", "travel", "music",
    "photography", "gaming", "fashion", "fitness", "reading", "tech", "parenting", "pets",
]  # fmt: skip
SUPPORT_TOPICS = [
    "delivery delay", "refund request", "wrong size", "damaged item", "account access",
    "loyalty points", "change address", "order cancellation", "product question",
    "unsubscribe", "payment failed", "missing item",
]  # fmt: skip
USER_AGENTS = {
    "desktop": [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    ],
    "mobile": [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0 Mobile Safari/537.36",
    ],
    "tablet": [
        "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0 Safari/537.36",
    ],
}
DEVICE_TYPES = ["desktop", "mobile", "tablet"]
APP_VERSIONS = ["4.2.0", "4.3.1", "4.4.0", "5.0.0", "5.0.2", "5.1.0"]
BOOL_WRITTEN = [("true", "false"), ("yes", "no"), ("1", "0"), ("Y", "N"), ("TRUE", "FALSE")]
BAD_TIMESTAMPS = ["31/02/2024", "not a date", "2024-13-45 10:00:00", "00/00/0000", "yesterday"]
BAD_NUMBERS = ["12,34x", "N/A", "£12..50", "abc", "1.2.3"]

START = np.datetime64("2023-01-01T00:00:00", "s").astype(np.int64)
END = np.datetime64("2025-06-30T23:59:59", "s").astype(np.int64)
DAY = 86_400
#: day luts cover 1930-01-01 .. 2026-12-31 (dates of birth and event times)
LUT_EPOCH_DAY = int(np.datetime64("1930-01-01", "D").astype(np.int64))
_LUT_DAYS = np.arange(
    np.datetime64("1930-01-01", "D"), np.datetime64("2027-01-01", "D"), dtype="datetime64[D]"
)

# --------------------------------------------------------------------------------------
# Vectorised string helpers
# --------------------------------------------------------------------------------------

STR = pa.string()
_LUTS: dict[str, pa.Array] = {}


def _lut(name: str) -> pa.Array:
    """Lookup arrays built once: dates as text, times of day as text, hex bytes."""
    if name not in _LUTS:
        if name == "day_iso":
            values = np.datetime_as_string(_LUT_DAYS, unit="D")
            _LUTS[name] = pa.array(values.tolist(), STR)
        elif name == "day_dmy":
            iso = np.datetime_as_string(_LUT_DAYS, unit="D")
            _LUTS[name] = pa.array([f"{d[8:10]}/{d[5:7]}/{d[0:4]}" for d in iso.tolist()], STR)
        elif name == "hms":
            s = np.arange(DAY)
            _LUTS[name] = pa.array(
                [f"{h:02d}:{m:02d}:{x:02d}" for h, m, x in zip(s // 3600, s // 60 % 60, s % 60)],
                STR,
            )
        elif name == "hm":
            s = np.arange(DAY)
            _LUTS[name] = pa.array([f"{h:02d}:{m:02d}" for h, m in zip(s // 3600, s // 60 % 60)])
        else:
            raise KeyError(name)
    return _LUTS[name]


_HEX_LOWER = np.frombuffer(
    "".join(f"{i:02x}" for i in range(256)).encode(), dtype=np.uint8
).reshape(256, 2)
_HEX_UPPER = np.frombuffer(
    "".join(f"{i:02X}" for i in range(256)).encode(), dtype=np.uint8
).reshape(256, 2)


def s_arr(values) -> pa.Array:
    """A Python list of str as an Arrow string array."""
    return pa.array(list(values), STR)


def take(values, idx: np.ndarray) -> pa.Array:
    """values[idx] for a list or Arrow array of strings and an integer index array."""
    if not isinstance(values, pa.Array):
        values = s_arr(values)
    return values.take(pa.array(np.asarray(idx, dtype=np.int64)))


def cat(*parts) -> pa.Array:
    """Element-wise concatenation of Arrow arrays and Python str scalars."""
    return pc.binary_join_element_wise(*parts, "")


def num(values: np.ndarray, width: int = 0) -> pa.Array:
    text = pc.cast(pa.array(np.asarray(values, dtype=np.int64)), STR)
    return pc.utf8_lpad(text, width, "0") if width else text


def ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    return cat(prefix, num(numbers, width))


def empty(n: int) -> pa.Array:
    return pa.array(np.full(n, "", dtype=object), STR) if n else pa.array([], STR)


def const(value: str, n: int) -> pa.Array:
    return pa.array(np.full(n, value, dtype=object), STR) if n else pa.array([], STR)


def where(mask: np.ndarray, a: pa.Array, b: pa.Array) -> pa.Array:
    """a where mask else b (both full length)."""
    return pc.if_else(pa.array(np.asarray(mask, dtype=bool)), a, b)


def replace(base: pa.Array, mask: np.ndarray, make) -> pa.Array:
    """base with the rows in mask replaced by make(indices) (an array of len(indices))."""
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return base
    replacement = make(np.flatnonzero(mask))
    if not isinstance(replacement, pa.Array):
        replacement = s_arr(replacement)
    return pc.replace_with_mask(base, pa.array(mask), replacement.cast(STR))


def hex_text(rng: np.random.Generator, n: int, nbytes: int, upper: bool = False) -> np.ndarray:
    """(n, 2*nbytes) uint8 array of random hex digits."""
    table = _HEX_UPPER if upper else _HEX_LOWER
    raw = rng.integers(0, 256, size=(n, nbytes), dtype=np.uint8)
    return table[raw].reshape(n, 2 * nbytes)


def bytes_to_str(chars: np.ndarray) -> pa.Array:
    """(n, w) uint8 ASCII array -> Arrow strings of width w."""
    n, w = chars.shape
    if n == 0:
        return pa.array([], STR)
    buffer = pa.py_buffer(np.ascontiguousarray(chars).tobytes())
    offsets = pa.py_buffer((np.arange(n + 1, dtype=np.int32) * w).tobytes())
    return pa.Array.from_buffers(STR, n, [None, offsets, buffer])


def uuid_text(rng: np.random.Generator, n: int, upper: bool = False) -> pa.Array:
    """Random version-4-shaped UUIDs as text (lower hex for cookies, upper for devices)."""
    digits = hex_text(rng, n, 16, upper)
    out = np.empty((n, 36), dtype=np.uint8)
    positions = [i for i in range(36) if i not in (8, 13, 18, 23)]
    out[:, positions] = digits
    out[:, [8, 13, 18, 23]] = ord("-")
    out[:, 14] = ord("4")
    out[:, 19] = np.frombuffer(b"89ab" if not upper else b"89AB", dtype=np.uint8)[
        rng.integers(0, 4, n)
    ]
    return bytes_to_str(out)


def chance(rng: np.random.Generator, n: int, rate: float, at_least_one: bool = True) -> np.ndarray:
    """Boolean mask with the given rate; at least one True when rate > 0 (if n > 0)."""
    if rate <= 0 or n == 0:
        return np.zeros(n, dtype=bool)
    mask = rng.random(n) < rate
    if at_least_one and not mask.any():
        mask[rng.integers(n)] = True
    return mask


def group_rank(group: np.ndarray) -> np.ndarray:
    """0, 1, 2... within runs of equal consecutive values of a sorted group array."""
    n = len(group)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[True, group[1:] != group[:-1]]
    start_pos = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    return np.arange(n) - start_pos


def repeat_owner(counts: np.ndarray) -> np.ndarray:
    return np.repeat(np.arange(len(counts)), counts)


def fmt_ts(rng: np.random.Generator, secs: np.ndarray, variant_rate: float) -> pa.Array:
    """Timestamps as text: mostly 'YYYY-MM-DD HH:MM:SS', some ISO 'T' with 'Z' or '+01:00',
    some 'dd/mm/yyyy HH:MM'. Values are UTC; an offset variant shows the local time."""
    secs = np.asarray(secs, dtype=np.int64)
    day = secs // DAY - LUT_EPOCH_DAY
    tod = secs % DAY
    base = cat(take(_lut("day_iso"), day), " ", take(_lut("hms"), tod))
    if variant_rate <= 0:
        return base
    kind = np.where(chance(rng, len(secs), variant_rate, False), rng.integers(1, 4, len(secs)), 0)

    def iso_z(ix):
        return cat(take(_lut("day_iso"), day[ix]), "T", take(_lut("hms"), tod[ix]), "Z")

    def iso_offset(ix):
        local = secs[ix] + 3600
        return cat(
            take(_lut("day_iso"), local // DAY - LUT_EPOCH_DAY),
            "T",
            take(_lut("hms"), local % DAY),
            "+01:00",
        )

    def dmy(ix):
        return cat(take(_lut("day_dmy"), day[ix]), " ", take(_lut("hm"), tod[ix]))

    base = replace(base, kind == 1, iso_z)
    base = replace(base, kind == 2, iso_offset)
    return replace(base, kind == 3, dmy)


def fmt_date(rng: np.random.Generator, days: np.ndarray, variant_rate: float) -> pa.Array:
    """Dates (days since 1970) as ISO, some dd/mm/yyyy."""
    day = np.asarray(days, dtype=np.int64) - LUT_EPOCH_DAY
    base = take(_lut("day_iso"), day)
    dmy = chance(rng, len(day), variant_rate, False)
    return replace(base, dmy, lambda ix: take(_lut("day_dmy"), day[ix]))


def fmt_money(pence: np.ndarray) -> pa.Array:
    pence = np.asarray(pence, dtype=np.int64)
    sign = np.where(pence < 0, "-", "")
    whole = num(np.abs(pence) // 100)
    cents = num(np.abs(pence) % 100, 2)
    return cat(
        s_arr(sign.tolist()) if (pence < 0).any() else const("", len(pence)), whole, ".", cents
    )


def fmt_bool(rng: np.random.Generator, values: np.ndarray, variant_rate: float) -> pa.Array:
    values = np.asarray(values, dtype=bool)
    style = np.where(
        chance(rng, len(values), variant_rate, False),
        rng.integers(1, len(BOOL_WRITTEN), len(values)),
        0,
    )
    flat = [text for pair in BOOL_WRITTEN for text in pair]
    return take(flat, style * 2 + (~values).astype(np.int64))


def messy(rng: np.random.Generator, values: pa.Array, rate: float, case: bool = True) -> pa.Array:
    """Stray whitespace and (optionally) UPPER / lower / Capitalised case on some values."""
    n = len(values)
    if rate <= 0 or n == 0:
        return values
    kind = np.where(chance(rng, n, rate, False), rng.integers(1, 6 if case else 3, n), 0)
    values = replace(values, kind == 1, lambda ix: cat("  ", values.take(pa.array(ix))))
    values = replace(values, kind == 2, lambda ix: cat(values.take(pa.array(ix)), " "))
    values = replace(values, kind == 3, lambda ix: pc.utf8_upper(values.take(pa.array(ix))))
    values = replace(values, kind == 4, lambda ix: pc.utf8_lower(values.take(pa.array(ix))))
    return replace(values, kind == 5, lambda ix: pc.utf8_capitalize(values.take(pa.array(ix))))


def pick(options: list[pa.Array], choice: np.ndarray) -> pa.Array:
    """Row i from options[choice[i]] (all options as long as choice)."""
    n = len(choice)
    if n == 0:
        return pa.array([], STR)
    flat = pa.concat_arrays([o.cast(STR) for o in options])
    return flat.take(pa.array(np.asarray(choice, dtype=np.int64) * n + np.arange(n)))


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _typo_swap(name: str) -> str:
    i = max(1, len(name) // 2 - 1)
    if i + 1 >= len(name) or name[i] == name[i + 1]:
        return name + name[-1]  # a doubled last letter
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def _typo_drop(name: str) -> str:
    i = len(name) // 2
    return name[:i] + name[i + 1 :] if len(name) > 3 else name + "e"


# first-name variant kinds (index into the flat variant table)
NV_EXACT, NV_INITIAL, NV_NICK, NV_SWAP, NV_DROP, NV_ASCII = range(6)


def _name_tables() -> dict[str, pa.Array]:
    firsts = [name for name, _ in FEMALE_NAMES] + [name for name, _ in MALE_NAMES]
    nicks = [nick or name for name, nick in FEMALE_NAMES + MALE_NAMES]
    first_variants = (
        firsts,
        [f"{name[0]}." for name in firsts],
        nicks,
        [_typo_swap(name) for name in firsts],
        [_typo_drop(name) for name in firsts],
        [_fold(name) for name in firsts],
    )
    last_variants = (
        LAST_NAMES,
        [f"{name[0]}." for name in LAST_NAMES],
        LAST_NAMES,
        [_typo_swap(name) for name in LAST_NAMES],
        [_typo_drop(name) for name in LAST_NAMES],
        [_fold(name) for name in LAST_NAMES],
    )
    return {
        "first": s_arr([v for kind in first_variants for v in kind]),
        "last": s_arr([v for kind in last_variants for v in kind]),
        "first_mail": s_arr([_fold(n).lower().replace(" ", "") for n in firsts]),
        "last_mail": s_arr([_fold(n).lower().replace(" ", "") for n in LAST_NAMES]),
        "n_first": len(firsts),
        "n_female": len(FEMALE_NAMES),
    }


NAMES = _name_tables()
CITY_ROWS = [(country, *row) for country in COUNTRIES for row in CITIES[country]]
CITY_COUNTRY = np.array([COUNTRIES.index(row[0]) for row in CITY_ROWS])
GB_PHONE_FORMATS = 7
_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def _perm(g: np.ndarray, modulus: int, mult: int, add: int) -> np.ndarray:
    """A bijection of 0..modulus-1 (mult coprime with 10), for unique numbers per person."""
    return (g.astype(np.int64) % modulus * mult + add) % modulus


class People:
    """The true people of one chunk, as numpy/Arrow columns (index = local person number)."""

    def __init__(self, rng: np.random.Generator, first_g: int, n: int, cfg: GeneratorConfig):
        self.n = n
        self.g = np.arange(first_g, first_g + n, dtype=np.int64)  # global person number
        self.person_id = ids("t", self.g, 7)
        # households: runs of consecutive people
        sizes = rng.choice([1, 2, 3, 4], p=[0.55, 0.25, 0.12, 0.08], size=n)
        hh = np.repeat(np.arange(n), sizes)[:n]
        self.hh = hh  # household number local (first member's index in the run)
        starts = np.r_[0, np.flatnonzero(hh[1:] != hh[:-1]) + 1]
        self.hh_first = np.repeat(starts, np.diff(np.r_[starts, n]))
        self.hh_size = np.bincount(hh, minlength=n)[hh]
        self.hh_rank = np.arange(n) - self.hh_first
        self.household_id = ids("H", self.g[self.hh_first], 7)

        self.female = rng.random(n) < 0.5
        nf, nfem = NAMES["n_first"], NAMES["n_female"]
        self.first_idx = np.where(
            self.female, rng.integers(0, nfem, n), rng.integers(nfem, nf, n)
        ).astype(np.int64)
        last = rng.integers(0, len(LAST_NAMES), n)
        same_last = rng.random(n) < 0.8
        self.last_idx = np.where(same_last, last[self.hh_first], last).astype(np.int64)
        self.first_name = take(NAMES["first"], self.first_idx)
        self.last_name = take(NAMES["last"], self.last_idx)
        born = np.datetime64("1945-01-01", "D").astype(np.int64)
        self.dob = born + rng.integers(0, 61 * 365, n)

        # where they live (per household), and where they lived before a move
        foreign = chance(rng, n, cfg.foreign_people)[self.hh_first]
        country = np.where(foreign, rng.choice(len(COUNTRIES), p=FOREIGN_SHARE, size=n), 0)
        self.country = country[self.hh_first]
        self.city_idx = self._city(rng, self.country)[self.hh_first]
        self.postcode = self._postcode(rng, self.city_idx)
        self.house = rng.integers(1, 160, n)[self.hh_first]
        self.street = rng.integers(0, len(STREETS), n)[self.hh_first]
        self.street_type = rng.integers(0, len(STREET_TYPES), n)[self.hh_first]
        self.flat = np.where(rng.random(n) < 0.2, rng.integers(1, 30, n), 0)[self.hh_first]
        self.moved = chance(rng, n, cfg.moved_address)
        self.moved_at = rng.integers(START + 120 * DAY, END - 60 * DAY, n)
        self.old_city_idx = self._city(rng, self.country)
        self.old_postcode = self._postcode(rng, self.old_city_idx)
        self.old_house = rng.integers(1, 160, n)
        self.old_street = rng.integers(0, len(STREETS), n)
        self.old_street_type = rng.integers(0, len(STREET_TYPES), n)

        # emails: the person number makes every address unique
        suffix = num(_perm(self.g, 10_000_000, 7_654_321, 1_234_567))
        fm = take(NAMES["first_mail"], self.first_idx)
        lm = take(NAMES["last_mail"], self.last_idx)
        initial = pc.utf8_slice_codeunits(fm, 0, 1)
        local = pick(
            [
                cat(fm, ".", lm, suffix),
                cat(fm, lm, suffix),
                cat(initial, lm, suffix),
                cat(fm, "_", lm, suffix),
                cat(lm, ".", fm, suffix),
            ],
            rng.integers(0, 5, n),
        )
        domain = rng.integers(0, len(EMAIL_DOMAINS), n)
        self.email = cat(local, "@", take(EMAIL_DOMAINS, domain))
        self.changed_email = chance(rng, n, cfg.changed_email)
        self.email_changed_at = rng.integers(START + 90 * DAY, END - 90 * DAY, n)
        old_domain = (domain + rng.integers(1, len(EMAIL_DOMAINS), n)) % len(EMAIL_DOMAINS)
        self.old_email = cat(fm, lm, suffix, "@", take(EMAIL_DOMAINS, old_domain))
        self.b2b = chance(rng, n, cfg.b2b)
        self.company_idx = rng.integers(0, len(COMPANIES), n)
        self.job_idx = rng.integers(0, len(JOB_TITLES), n)
        slug = take(
            [c.lower().replace(" ", "").replace("&", "and") for c in COMPANIES], self.company_idx
        )
        self.work_email = cat(initial, ".", lm, ".", suffix, "@", slug, ".example")

        self._phones(rng)
        self.ip = cat(
            num(rng.integers(2, 224, n)[self.hh_first]), ".",
            num(rng.integers(0, 256, n)[self.hh_first]), ".",
            num(rng.integers(0, 256, n)[self.hh_first]), ".",
            num(rng.integers(1, 255, n)[self.hh_first]),
        )  # fmt: skip
        # participation in the systems of record
        self.has_account = rng.random(n) < 0.7
        self.has_esp = rng.random(n) < 0.75
        self.has_crm = (rng.random(n) < 0.35) | self.b2b
        self.has_loyalty = rng.random(n) < 0.3
        self.has_web = rng.random(n) < 0.9
        self.has_app = rng.random(n) < 0.45
        self.activity = rng.lognormal(0.0, 0.9, n)  # skew: a few very active people
        self.activity /= np.exp(0.9**2 / 2)  # mean 1
        self.customer_id = ids("C", self.g, 7)
        self.loyalty_id = ids("L", _perm(self.g, 100_000_000, 31_415_927, 27_182_818), 8)
        self.cards = np.where(rng.random(n) < 0.3, 2, 1)
        card_hex = hex_text(rng, n * 2, 12)
        self.card = bytes_to_str(card_hex)  # index i*2 + k

    @staticmethod
    def _city(rng: np.random.Generator, country: np.ndarray) -> np.ndarray:
        counts = np.bincount(CITY_COUNTRY, minlength=len(COUNTRIES))
        offsets = np.r_[0, np.cumsum(counts)[:-1]]
        return offsets[country] + (rng.random(len(country)) * counts[country]).astype(np.int64)

    @staticmethod
    def _postcode(rng: np.random.Generator, city_idx: np.ndarray) -> pa.Array:
        n = len(city_idx)
        prefix = take([row[2] for row in CITY_ROWS], city_idx)
        letters = [take(list(_LETTERS), rng.integers(0, len(_LETTERS), n)) for _ in range(3)]
        d = [num(rng.integers(0, 10, n)) for _ in range(4)]
        out_no = num(rng.integers(1, 21, n))
        by_country = [
            cat(prefix, out_no, " ", d[0], letters[0], letters[1]),  # GB  SW12 3AB
            cat(prefix, d[0], d[1]),  # US 5 digits
            cat(prefix, " ", letters[2], d[1], d[2], d[3]),  # IE eircode
            cat(prefix, d[0], d[1], d[2]),  # DE 5 digits
            cat(prefix, d[0], d[1]),  # AU 4 digits
        ]
        return pick(by_country, CITY_COUNTRY[city_idx])

    def _phones(self, rng: np.random.Generator) -> None:
        n, g = self.n, self.g
        gb = cat("7", num(_perm(g, 10**9, 987_654_323, 123_456_789), 9))
        us_area = take(["212", "312", "512", "206", "617"], rng.integers(0, 5, n))
        us = cat(us_area, num(_perm(g, 10**7, 7_777_777, 2_000_000) % 8_000_000 + 2_000_000, 7))
        ie = cat("87", num(_perm(g, 10**7, 3_333_337, 1_000_003), 7))
        de = cat("151", num(_perm(g, 10**8, 12_345_679, 4_242_424), 8))
        au = cat("4", num(_perm(g, 10**8, 98_765_431, 1_111_111), 8))
        nsn = pick([gb, us, ie, de, au], self.country)
        self.phone_e164 = cat("+", take([CALLING_CODE[c] for c in COUNTRIES], self.country), nsn)

        def sl(a, i, j):
            return pc.utf8_slice_codeunits(a, i, j)

        a, b = sl(gb, 0, 4), sl(gb, 4, 10)
        gb_forms = [
            cat("0", a, " ", b),
            cat("+44 ", a, " ", b),
            cat("0044 ", a, " ", b),
            cat("(0)", a, "-", sl(b, 0, 3), "-", sl(b, 3, 6)),
            cat("44", a, b),
            cat("+44 (0)", a, " ", b),
            cat("0", a, b),
        ]
        us_forms = [
            cat("+1 ", sl(us, 0, 3), " ", sl(us, 3, 6), " ", sl(us, 6, 10)),
            cat("+1-", sl(us, 0, 3), "-", sl(us, 3, 6), "-", sl(us, 6, 10)),
            cat("001 ", sl(us, 0, 3), " ", sl(us, 3, 10)),
            cat("+1 (", sl(us, 0, 3), ") ", sl(us, 3, 6), "-", sl(us, 6, 10)),
        ]
        ie_forms = [
            cat("+353 ", sl(ie, 0, 2), " ", sl(ie, 2, 5), " ", sl(ie, 5, 9)),
            cat("00353 ", sl(ie, 0, 2), " ", sl(ie, 2, 9)),
            cat("+353 (0)", sl(ie, 0, 2), " ", sl(ie, 2, 5), " ", sl(ie, 5, 9)),
            cat("+353", ie),
        ]
        de_forms = [
            cat("+49 ", sl(de, 0, 3), " ", sl(de, 3, 11)),
            cat("0049 ", sl(de, 0, 3), " ", sl(de, 3, 11)),
            cat("+49 (0)", sl(de, 0, 3), " ", sl(de, 3, 11)),
            cat("+49", de),
        ]
        au_forms = [
            cat("+61 ", sl(au, 0, 3), " ", sl(au, 3, 6), " ", sl(au, 6, 9)),
            cat("0061 ", sl(au, 0, 3), " ", sl(au, 3, 9)),
            cat("+61 (0)", sl(au, 0, 3), " ", sl(au, 3, 6), " ", sl(au, 6, 9)),
            cat("+61", au),
        ]
        foreign = [us_forms, ie_forms, de_forms, au_forms]
        # phone_forms[k]: format k for everyone (foreign people cycle through their 4)
        self.phone_forms = []
        for k in range(GB_PHONE_FORMATS):
            options = [gb_forms[k]] + [forms[k % 4] for forms in foreign]
            self.phone_forms.append(pick(options, self.country))
        self.phone_flat = pa.concat_arrays(self.phone_forms)
