"""A throw-away self-signed certificate, as Dinstar gateways ship one, for HTTPS simulators."""

from datetime import UTC, datetime, timedelta
import ipaddress
from pathlib import Path
import ssl
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def self_signed_certificate(
    key: ec.EllipticCurvePrivateKey,
    common_name: str,
    extension: x509.ExtensionType,
    *,
    critical: bool,
) -> x509.Certificate:
    """Sign a year-long certificate for `common_name` with its own key, carrying one extension."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(extension, critical=critical)
        .sign(key, hashes.SHA256())
    )


def self_signed_server_context(common_name: str = "sms-gateway-simulator") -> ssl.SSLContext:
    """Make a server SSLContext with a fresh key and a certificate for 127.0.0.1 and localhost.

    The PEM files live in a temporary directory only while the context loads them.
    """
    key = ec.generate_private_key(ec.SECP256R1())
    local_names = x509.SubjectAlternativeName(
        [x509.DNSName("localhost"), x509.IPAddress(ipaddress.IPv4Address("127.0.0.1"))]
    )
    certificate = self_signed_certificate(key, common_name, local_names, critical=False)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    with tempfile.TemporaryDirectory(prefix="sim-tls-") as directory:
        cert_path = Path(directory) / "cert.pem"
        key_path = Path(directory) / "key.pem"
        cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        context.load_cert_chain(cert_path, key_path)
    return context
