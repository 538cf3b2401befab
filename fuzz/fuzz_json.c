/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the CLI's JSON parser: accepted JSON must become
 * valid CBOR that converts back to JSON and again to the same CBOR. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tools/iotsec/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cli_buf cbor = {0}, json = {0}, again = {0};
    struct iotsec_cbor_dec d;

    cli_quiet = true; /* rejections are expected; keep the log readable */
    if (cli_json_to_cbor((const char *)data, size, &cbor, size % 2 == 0) == CLI_OK) {
        if (iotsec_cbor_dec_init(&d, cbor.p, cbor.len,
                                 size % 2 == 0 ? IOTSEC_CBOR_DETERMINISTIC : 0, NULL) != IOTSEC_OK)
            abort();
        if (cli_cbor_to_json(&d, &json, false) != CLI_OK)
            abort();
        if (cli_json_to_cbor((const char *)json.p, json.len, &again, size % 2 == 0) != CLI_OK ||
            again.len != cbor.len || memcmp(again.p, cbor.p, cbor.len) != 0)
            abort();
    }
    cli_buf_free(&cbor);
    cli_buf_free(&json);
    cli_buf_free(&again);
    return 0;
}
