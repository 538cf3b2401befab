/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suit_linux.h - a SUIT platform (struct iotsec_suit_platform) for Linux
 * over a device directory, for the iotsec CLI and the reference device
 * agent. Unlike the library it may allocate, use the file system, libcurl
 * and libcoap.
 *
 * The device directory DIR
 *   DIR/device.json    the device, written by its owner:
 *                        { "vendor-id": "<UUID>", "class-id": "<UUID>",
 *                          "device-id": "<UUID>",                 (optional)
 *                          "components": [ { "id": ["00"],        hex bstrs of the
 *                                            "path": "slot-a.bin", SUIT_Component_Identifier
 *                                            "slot": 0 }, ... ],  (slot optional)
 *                          "battery": 80,                         (optional, percent)
 *                          "time": 1700000000,                    (optional; else the clock)
 *                          "update-authorized": true,             (optional)
 *                          "fetch-timeout": 30,                   (optional, seconds)
 *                          "max-image-size": 1073741824 }         (optional, bytes)
 *                      "id" ["00"] is the identifier [h'00'] (encoded 81 41 00);
 *                      "path" is relative to DIR, without "..". Unknown keys are
 *                      ignored. Parsed with the CLI's JSON reader (cli_json_to_cbor,
 *                      tools/iotsec/json.c and cli.c, which a program using this
 *                      port links too) and the iotsec CBOR decoder.
 *   DIR/<path>         each component's image (absent: the component is empty)
 *   DIR/invoked.log    one line per invoke: "<component id hex> <args hex>"
 *                      ("-" for no args); appended, never rewritten
 *   DIR/.suit/state    installed sequence numbers, one line per manifest:
 *                      "<key> <sequence number> <manifest SUIT_Digest hex or ->",
 *                      key "root" or the hex of the encoded manifest-component-id
 *   DIR/.suit/staging/ staged content, one file per component (hex of its id)
 *   DIR/.suit/journal  a commit in progress (see below)
 *   DIR/.suit/<hex>    content of components that are not in device.json but
 *                      that a manifest writes as dependencies (trust domains)
 * .suit/ is created on the first staged write; abort() removes what it
 * staged, and the directories again if they are empty, so a refused update
 * leaves DIR exactly as it was.
 *
 * Staging and commit
 *   write_begin/write/write_end, fetch, swap and unlink stage; read and size
 *   see staged content from then on. set_sequence stages too. abort()
 *   deletes all of it. commit() makes it durable, atomically per component:
 *     1. fsync each staged file, then the staging directory;
 *     2. write DIR/.suit/journal.tmp listing each pending rename (staged
 *        file -> component path), removal and sequence number, fsync it,
 *        rename it to DIR/.suit/journal, fsync DIR/.suit: the commit point;
 *     3. roll the journal forward: rename() each staged file over its
 *        component (atomic per file), unlink removed ones, fsync the
 *        directories that changed; rewrite DIR/.suit/state (write .tmp,
 *        fsync, rename, fsync) with the new sequence numbers;
 *     4. unlink the journal and fsync DIR/.suit.
 *   A crash (kill -9, power loss) before step 2 completes leaves the old
 *   images and numbers; after it, the journal is rolled forward on the next
 *   suit_linux_open(), which does this before anything else (even before
 *   reading device.json, since the journal names the paths), then clears
 *   stale staging files. Every component therefore holds its old or its new
 *   image, never a mix, and the sequence numbers commit with the images.
 *   Renames need the staging directory and the components on one file
 *   system: do not mount anything inside DIR.
 *
 *   Test hook (compiled in): with IOTSEC_SUIT_LINUX_CRASH_AT=N in the
 *   environment the process calls _exit(9) right after its Nth durable step
 *   (an fsync, rename or unlink of commit or recovery), as if killed there.
 *
 * Fetch
 *   http:// and https:// with libcurl (status >= 400 fails; redirects to
 *   http(s) only, at most 5; connect and stall timeouts of fetch-timeout
 *   seconds, default 30, and 20 times that in total; https trusts the
 *   system CAs, or the file named by IOTSEC_CA_FILE);
 *   coap:// and coaps:// with libcoap (block-wise GET, streamed to the
 *   staging file; coaps is DTLS with the PSK identity in IOTSEC_COAP_PSK_ID
 *   and the key, in hex, in IOTSEC_COAP_PSK);
 *   file:///absolute/path (file://localhost/... too; %XX decoded).
 *   Other schemes are IOTSEC_ERR_UNSUPPORTED. Failures are IOTSEC_ERR_IO
 *   with the reason in suit_linux_error(). Images larger than
 *   max-image-size (default 1 GiB) are refused.
 *
 * Locking
 *   suit_linux_open() takes an exclusive flock() on DIR; a second process
 *   gets IOTSEC_ERR_IO ("busy") instead of waiting.
 *
 * Not provided: digest() (images are hashed through read()),
 * version_match(), wait() and custom commands (the processor refuses them
 * as unsupported); battery() and update_authorized() only when device.json
 * has the key.
 */
#ifndef IOTSEC_SUIT_LINUX_H
#define IOTSEC_SUIT_LINUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iotsec/suit.h"

#define SUIT_LINUX_MAX_COMPONENTS 16 /* listed and dependency components */
#define SUIT_LINUX_MAX_ID 64         /* bytes of an encoded component identifier */
#define SUIT_LINUX_MAX_MANIFESTS 16  /* manifests with a sequence number */
#define SUIT_LINUX_MAX_DIGEST 80     /* bytes of an encoded SUIT_Digest kept */

struct suit_linux_component {
    uint8_t id[SUIT_LINUX_MAX_ID];      /* encoded SUIT_Component_Identifier */
    size_t id_len;
    char hex[2 * SUIT_LINUX_MAX_ID + 1]; /* the id in hex: names its staging file */
    char *path;                          /* relative to DIR */
    bool listed;                         /* in device.json (else a dependency) */
    bool has_slot;
    uint64_t slot;
    int state;                           /* staged state (suit_linux.c) */
    int wfd, rfd;                        /* staged file being written; reader */
    uint64_t staged_len;
    /* what this run did, for the caller's summary */
    bool committed, removed, invoked;
    uint64_t committed_len;
};

struct suit_linux_manifest {
    char key[2 * SUIT_LINUX_MAX_ID + 1]; /* "root" or the manifest-component-id in hex */
    uint64_t seq;
    char digest[2 * SUIT_LINUX_MAX_DIGEST + 1]; /* encoded SUIT_Digest in hex, or "" */
};

struct suit_linux {
    char *dir;
    int dfd, sfd, stfd;                  /* DIR, DIR/.suit, DIR/.suit/staging (-1: none) */
    uint8_t vendor_id[16], class_id[16], device_id[16];
    bool has_device_id;
    struct suit_linux_component comp[SUIT_LINUX_MAX_COMPONENTS];
    size_t n_comp;
    struct suit_linux_manifest installed[SUIT_LINUX_MAX_MANIFESTS];
    struct suit_linux_manifest staged[SUIT_LINUX_MAX_MANIFESTS];
    size_t n_installed, n_staged;
    struct suit_linux_manifest expect;  /* digest to record with its sequence number */
    bool has_battery, has_time, has_authorized, authorized;
    uint64_t battery, time, max_image_size;
    long fetch_timeout;
    bool recovered;                      /* open() rolled a journal forward */
    /* records the processor reported (record()), in order */
    struct iotsec_suit_record *records;
    size_t n_records, cap_records;
    long crash_at, steps;                /* IOTSEC_SUIT_LINUX_CRASH_AT */
    char err[512];
};

/**
 * Open the device in @p dir: lock it, roll forward an interrupted commit,
 * clear stale staging files, read device.json and the installed sequence
 * numbers. On failure @p err (out, @p errlen bytes) gets a sentence.
 * @return IOTSEC_OK; IOTSEC_ERR_MALFORMED (device.json or .suit/state is
 *         not what it should be); IOTSEC_ERR_LIMIT (too many components);
 *         IOTSEC_ERR_IO (cannot open, lock, recover).
 */
enum iotsec_err suit_linux_open(struct suit_linux *dev, const char *dir, char *err, size_t errlen);

/** Fill @p p with the platform over @p dev: functions and identity. The
 *  keys (trust_anchors, decryption_keys) are left for the caller. */
void suit_linux_platform(struct suit_linux *dev, struct iotsec_suit_platform *p);

/** Discard anything still staged (e.g. a load the invoke procedure made),
 *  free and unlock. */
void suit_linux_close(struct suit_linux *dev);

/** Why the last failing platform call failed ("" when none said). */
const char *suit_linux_error(const struct suit_linux *dev);

/**
 * The manifest named by @p manifest_id (its manifest-component-id; empty for
 * the root) is about to be processed and has the encoded SUIT_Digest
 * @p digest: record the digest with its sequence number when it commits.
 * (set_sequence() carries only the number.)
 */
void suit_linux_expect_manifest(struct suit_linux *dev, struct iotsec_cbuf manifest_id,
                                struct iotsec_cbuf digest);

/**
 * The installed sequence number of the manifest @p manifest_id, and whether
 * its recorded digest equals @p digest (the same manifest is installed).
 * @return IOTSEC_OK; IOTSEC_ERR_NOT_FOUND (nothing installed).
 */
enum iotsec_err suit_linux_installed(const struct suit_linux *dev,
                                     struct iotsec_cbuf manifest_id, struct iotsec_cbuf digest,
                                     uint64_t *seq, bool *same);

#endif
