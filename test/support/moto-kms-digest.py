# moto_server with KMS Sign/Verify MessageType=DIGEST as the AWS API reference documents it.
#
# moto 5.x ignores MessageType (its docs: "The MessageType-parameter DIGEST is not yet implemented") and hashes the
# digest again, and it signs RSASSA-PSS with the maximum salt instead of the digest length AWS KMS uses. This wrapper
# fixes exactly those two things and then runs moto's own server; everything else (key creation, GetPublicKey, the
# JSON protocol, errors) is moto's. Used by test/support/moto.ts when started with { kmsSignDigest: true }.
import sys
import threading

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from moto.kms import responses, utils
from moto.kms.exceptions import ValidationException
from moto.server import main

_state = threading.local()
_HASHES = {"256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512}


def _with_message_type(original):
    def handler(self):
        _state.digest = self._get_param("MessageType") == "DIGEST"
        try:
            return original(self)
        finally:
            _state.digest = False

    return handler


def _hash(signing_algorithm, message):
    """The hash argument for cryptography: the hash itself, or Prehashed when the caller sent a digest."""
    h = _HASHES[signing_algorithm[-3:]]()
    if not getattr(_state, "digest", False):
        return h
    if len(message) != h.digest_size:
        raise ValidationException(f"Digest is invalid length for algorithm {signing_algorithm}.")
    return Prehashed(h)


def _rsa_sign(self, message, signing_algorithm):
    utils.validate_signing_algorithm(signing_algorithm, utils.SigningAlgorithm.rsa_signing_algorithms())
    h = _HASHES[signing_algorithm[-3:]]()
    pad = padding.PSS(mgf=padding.MGF1(h), salt_length=h.digest_size) if "PSS" in signing_algorithm else padding.PKCS1v15()
    return self.private_key.sign(message, pad, _hash(signing_algorithm, message))


def _ec_sign(self, message, signing_algorithm):
    utils.validate_signing_algorithm(signing_algorithm, self.valid_signing_algorithms)
    return self.private_key.sign(message, ec.ECDSA(_hash(signing_algorithm, message)))


responses.KmsResponse.sign = _with_message_type(responses.KmsResponse.sign)
utils.RSAPrivateKey.sign = _rsa_sign
utils.ECDSAPrivateKey.sign = _ec_sign

if __name__ == "__main__":
    main(sys.argv[1:])
