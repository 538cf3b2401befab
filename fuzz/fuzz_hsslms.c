/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for HSS-LMS verification (port/crypto/hsslms.c).
 * Input: one byte n, then n bytes of HSS public key, then the signature.
 * Both are copied into buffers of their exact size so that any read past
 * them is caught. The message is fixed: that of RFC 8554 Test Case 1, so
 * that the seed made from that test case verifies and mutations of it
 * reach every step of the verification. Only three results are possible
 * for any input; anything else aborts. */
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "iotsec/key.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char message[] =
    "The powers not delegated to the United States by the Constitution, nor prohibited by it to "
    "the States, are reserved to the States respectively, or to the people.\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t pub_len, sig_len;
    uint8_t *pub, *sig;
    enum iotsec_err err;

    if (size == 0)
        return 0;
    pub_len = data[0];
    if (pub_len > size - 1)
        pub_len = size - 1;
    sig_len = size - 1 - pub_len;
    pub = malloc(pub_len ? pub_len : 1);
    sig = malloc(sig_len ? sig_len : 1);
    if (pub == NULL || sig == NULL)
        abort();
    memcpy(pub, data + 1, pub_len);
    memcpy(sig, data + 1 + pub_len, sig_len);

    err = iotsec_hsslms_verify(pub, pub_len, (const uint8_t *)message, sizeof(message) - 1, sig,
                               sig_len);
    if (err != IOTSEC_OK && err != IOTSEC_ERR_VERIFY_FAILED && err != IOTSEC_ERR_UNSUPPORTED_ALG)
        abort();
    /* the seam must give the same answer for a kty HSS-LMS key; only for
     * short signatures, since each verify of a whole one costs thousands
     * of hashes */
    if (sig_len < 64) {
        struct iotsec_key key;
        iotsec_key_init_hsslms(&key, pub, pub_len);
        if (iotsec_crypto_verify(IOTSEC_ALG_HSS_LMS, &key, (const uint8_t *)message,
                                 sizeof(message) - 1, sig, sig_len) != err)
            abort();
    }
    free(pub);
    free(sig);
    return 0;
}
