"""Demo signing: a throwaway test CA with Vietnamese names, the leader's and the department's certificates, a
signature image and a seal image, all under SIGNING_SECRETS_DIR/demo/ (never committed).

Every certificate carries `signing.DEMO_CA_MARKER` in its OU and "THỬ NGHIỆM" in its name: production refuses to
sign with it or to trust it (SIGNING_ALLOW_TEST_CA is off there). Idempotent: existing files are kept.
"""

import datetime
import os
from pathlib import Path

from django.conf import settings

from documents.models import IssuingBody, SignerKind, SigningIdentity
from documents.rendering import FONTS_DIR
from documents.signing import DEMO_CA_MARKER, secrets_dir

DEMO_DIR = "demo"
PASSPHRASE_ENV = "KC_DEMO_SIGNING_PASSPHRASE"
LEADER_USERNAME = "lanhdao"


def demo_passphrase() -> str:
    # Throwaway certificates: the passphrase is a public test value unless the environment gives another one.
    return os.environ.setdefault(PASSPHRASE_ENV, "chi-de-thu-nghiem")


def _name(common_name: str, organisation: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Hải Phòng"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_CA_MARKER),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificate(subject, issuer, public_key, signing_key, *, ca: bool, days: int = 3650):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    return builder.sign(signing_key, hashes.SHA256())


def make_test_pki(folder: Path, *, leader_name: str, organisation_name: str) -> None:
    """Writes ca.pem, leader.p12 and organisation.p12 (passphrase from PASSPHRASE_ENV) into `folder`."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12

    folder.mkdir(parents=True, exist_ok=True)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name("CA THỬ NGHIỆM KHUYẾN CÔNG (KHÔNG DÙNG THẬT)", "Chứng thư thử nghiệm - không có giá trị pháp lý")
    ca_cert = _certificate(ca_name, ca_name, ca_key.public_key(), ca_key, ca=True)
    (folder / "ca.pem").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    password = demo_passphrase().encode()
    for filename, common_name in (("leader.p12", leader_name), ("organisation.p12", organisation_name)):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = _certificate(
            _name(f"{common_name} (THỬ NGHIỆM)", "Sở Công Thương Hải Phòng - thử nghiệm"),
            ca_name,
            key.public_key(),
            ca_key,
            ca=False,
            days=1825,
        )
        blob = pkcs12.serialize_key_and_certificates(
            name=common_name.encode(),
            key=key,
            cert=cert,
            cas=[ca_cert],
            encryption_algorithm=serialization.BestAvailableEncryption(password),
        )
        (folder / filename).write_bytes(blob)


def make_images(folder: Path, *, organisation_name: str) -> None:
    """A blue handwritten-looking signature and a red round seal, transparent PNGs, marked as test images."""
    from PIL import Image, ImageDraw, ImageFont

    folder.mkdir(parents=True, exist_ok=True)
    signature = Image.new("RGBA", (600, 260), (0, 0, 0, 0))
    draw = ImageDraw.Draw(signature)
    blue = (20, 50, 170, 255)
    points = [(60, 170), (120, 60), (160, 190), (220, 80), (260, 170), (330, 100), (400, 160), (470, 90), (540, 150)]
    draw.line(points, fill=blue, width=9, joint="curve")
    draw.line([(90, 205), (520, 190)], fill=blue, width=5)
    small = ImageFont.truetype(str(FONTS_DIR / "LiberationSerif-Italic.ttf"), 26)
    draw.text((300, 235), "chữ ký thử nghiệm", fill=blue, font=small, anchor="mm")
    # Stored at about 200 dpi for their printed size: enough to look sharp, small enough to embed quickly.
    signature.resize((360, 156), Image.LANCZOS).save(folder / "signature.png", optimize=True)

    seal = Image.new("RGBA", (500, 500), (0, 0, 0, 0))
    draw = ImageDraw.Draw(seal)
    red = (210, 20, 30, 235)
    draw.ellipse((10, 10, 490, 490), outline=red, width=16)
    draw.ellipse((70, 70, 430, 430), outline=red, width=6)
    big = ImageFont.truetype(str(FONTS_DIR / "LiberationSerif-Bold.ttf"), 34)
    text = ImageFont.truetype(str(FONTS_DIR / "LiberationSerif-Bold.ttf"), 30)
    draw.text((250, 215), organisation_name, fill=red, font=big, anchor="mm")
    draw.text((250, 285), "HẢI PHÒNG", fill=red, font=text, anchor="mm")
    draw.text((250, 340), "THỬ NGHIỆM", fill=red, font=text, anchor="mm")
    draw.text((250, 130), "* DẤU MINH HỌA *", fill=red, font=text, anchor="mm")
    seal.resize((280, 280), Image.LANCZOS).save(folder / "seal.png", optimize=True)


def demo_ca_path() -> Path:
    return secrets_dir() / DEMO_DIR / "ca.pem"


def load(out) -> None:
    """Test CA, certificates and images on disk; a SigningIdentity for the demo leader and for the department."""
    from accounts.models import User

    if not settings.SIGNING_ALLOW_TEST_CA:
        out.write("Bỏ qua chứng thư thử nghiệm: SIGNING_ALLOW_TEST_CA đang tắt.")
        return
    body = IssuingBody.current()
    leader = User.objects.filter(username=LEADER_USERNAME).first()
    leader_name = leader.get_full_name() if leader else body.signer_name
    if leader and body.signer_name != leader_name:
        # The printed signer and the certificate should be the same person.
        body.signer_name = leader_name
        body.save(update_fields=["signer_name", "updated_at"])
    folder = secrets_dir() / DEMO_DIR
    if not (folder / "organisation.p12").exists():
        make_test_pki(folder, leader_name=leader_name, organisation_name=f"{body.name} {body.place.upper()}")
        make_images(folder, organisation_name=body.name)
    else:
        demo_passphrase()
    if leader:
        SigningIdentity.objects.get_or_create(
            issuing_body=body,
            signer_kind=SignerKind.PERSON,
            user=leader,
            defaults={
                "display_name": f"{leader_name} (THỬ NGHIỆM)",
                "pkcs12_path": f"{DEMO_DIR}/leader.p12",
                "passphrase_env": PASSPHRASE_ENV,
                "image_path": f"{DEMO_DIR}/signature.png",
            },
        )
    SigningIdentity.objects.get_or_create(
        issuing_body=body,
        signer_kind=SignerKind.ORGANISATION,
        defaults={
            "display_name": f"{body.name} {body.place.upper()} (THỬ NGHIỆM)",
            "pkcs12_path": f"{DEMO_DIR}/organisation.p12",
            "passphrase_env": PASSPHRASE_ENV,
            "image_path": f"{DEMO_DIR}/seal.png",
        },
    )
    out.write("Chứng thư ký số thử nghiệm (CA minh họa, không có giá trị pháp lý) đã sẵn sàng.")
