"""A throw-away CA certificate for `/sms/public/certificates` (spec §2.1: a CA bundle as text)."""

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from simulators.tls import self_signed_certificate


def ca_bundle_pem(common_name: str = "Plasgate simulator CA") -> str:
    """Make a fresh self-signed CA certificate in PEM, standing in for Plasgate's bundle."""
    key = ec.generate_private_key(ec.SECP256R1())
    ca = x509.BasicConstraints(ca=True, path_length=None)
    certificate = self_signed_certificate(key, common_name, ca, critical=True)
    return certificate.public_bytes(serialization.Encoding.PEM).decode()
