/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iotsec/alg.h - COSE algorithm identifiers (IANA "COSE Algorithms";
 * RFC 9053, RFC 9459, RFC 9864, RFC 8778).
 *
 * Every iotsec interface names algorithms by these integers: the COSE
 * layer, the SUIT processor and the crypto seam alike.
 */
#ifndef IOTSEC_ALG_H
#define IOTSEC_ALG_H

/* hashes (IANA COSE Algorithms) */
#define IOTSEC_ALG_SHA1 (-14)    /* for UUIDv5 (RFC 9562) only: never for signatures or digests */
#define IOTSEC_ALG_SHA256 (-16)
#define IOTSEC_ALG_SHA384 (-43)
#define IOTSEC_ALG_SHA512 (-44)
#define IOTSEC_ALG_SHAKE128 (-18) /* 256-bit output, as the COSE registry fixes it */
#define IOTSEC_ALG_SHAKE256 (-45) /* 512-bit output */
/* signatures */
#define IOTSEC_ALG_ES256 (-7)
#define IOTSEC_ALG_ES384 (-35)
#define IOTSEC_ALG_ES512 (-36)
#define IOTSEC_ALG_EDDSA (-8)
#define IOTSEC_ALG_ESP256 (-9)   /* RFC 9864: ECDSA P-256 SHA-256, fully specified */
#define IOTSEC_ALG_ESP384 (-51)
#define IOTSEC_ALG_ESP512 (-52)
#define IOTSEC_ALG_ED25519 (-19) /* RFC 9864 */
/* MACs (the seam takes the hash id; these are the COSE MAC ids) */
#define IOTSEC_ALG_HMAC256_64 4
#define IOTSEC_ALG_HMAC256 5
#define IOTSEC_ALG_HMAC384 6
#define IOTSEC_ALG_HMAC512 7
/* AEAD content encryption */
#define IOTSEC_ALG_A128GCM 1
#define IOTSEC_ALG_A192GCM 2
#define IOTSEC_ALG_A256GCM 3
#define IOTSEC_ALG_AES_CCM_16_64_128 10
#define IOTSEC_ALG_AES_CCM_16_64_256 11
#define IOTSEC_ALG_AES_CCM_64_64_128 12
#define IOTSEC_ALG_AES_CCM_64_64_256 13
#define IOTSEC_ALG_AES_CCM_16_128_128 30
#define IOTSEC_ALG_AES_CCM_16_128_256 31
#define IOTSEC_ALG_AES_CCM_64_128_128 32
#define IOTSEC_ALG_AES_CCM_64_128_256 33
#define IOTSEC_ALG_CHACHA20_POLY1305 24
/* non-AEAD content encryption (RFC 9459) */
#define IOTSEC_ALG_A128CTR (-65534)
#define IOTSEC_ALG_A192CTR (-65533)
#define IOTSEC_ALG_A256CTR (-65532)
#define IOTSEC_ALG_A128CBC (-65531)
#define IOTSEC_ALG_A192CBC (-65530)
#define IOTSEC_ALG_A256CBC (-65529)
/* key wrap */
#define IOTSEC_ALG_A128KW (-3)
#define IOTSEC_ALG_A192KW (-4)
#define IOTSEC_ALG_A256KW (-5)

/* direct and key agreement (recipient algorithms) */
#define IOTSEC_ALG_DIRECT (-6)
#define IOTSEC_ALG_DIRECT_HKDF_SHA256 (-10)
#define IOTSEC_ALG_DIRECT_HKDF_SHA512 (-11)
#define IOTSEC_ALG_DIRECT_HKDF_AES128 (-12)
#define IOTSEC_ALG_DIRECT_HKDF_AES256 (-13)
#define IOTSEC_ALG_ECDH_ES_HKDF_256 (-25)
#define IOTSEC_ALG_ECDH_ES_HKDF_512 (-26)
#define IOTSEC_ALG_ECDH_SS_HKDF_256 (-27)
#define IOTSEC_ALG_ECDH_SS_HKDF_512 (-28)
#define IOTSEC_ALG_ECDH_ES_A128KW (-29)
#define IOTSEC_ALG_ECDH_ES_A192KW (-30)
#define IOTSEC_ALG_ECDH_ES_A256KW (-31)
#define IOTSEC_ALG_ECDH_SS_A128KW (-32)
#define IOTSEC_ALG_ECDH_SS_A192KW (-33)
#define IOTSEC_ALG_ECDH_SS_A256KW (-34)
/* AES-CBC-MAC (RFC 9053 section 3.2) */
#define IOTSEC_ALG_AES_MAC_128_64 14
#define IOTSEC_ALG_AES_MAC_256_64 15
#define IOTSEC_ALG_AES_MAC_128_128 25
#define IOTSEC_ALG_AES_MAC_256_128 26
/* hash-based signatures (RFC 8778) */
#define IOTSEC_ALG_HSS_LMS (-46)

#endif /* IOTSEC_ALG_H */
