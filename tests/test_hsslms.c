/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HSS-LMS verification (RFC 8554, COSE alg -46 of RFC 8778):
 * port/crypto/hsslms.c through iotsec_hsslms_verify() and through the seam's
 * iotsec_crypto_verify(), COSE_Key kty 5, and COSE_Sign / COSE_Sign1 with
 * HSS-LMS.
 *
 * Known answers: RFC 8554 Appendix F, Test Cases 1 and 2, typed in field
 * by field as the RFC prints them (the lengths follow from the typecodes:
 * an LMS signature is 4 + (4 + 32 + 32p) + 4 + 32h bytes), and the two
 * cose-wg/Examples hashsig vectors from the shared directory. Parameter
 * sets the RFC has no vector for (W1, W2, H15..H25, L up to 8) are covered
 * by signatures this file makes itself (make_hss below): one-time key
 * chains from fixed seeds and a random authentication path, whose root
 * becomes the public key, which is all a verifier can tell of a tree.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/crypto.h"
#include "iotsec/cbor.h"
#include "iotsec/cose.h"
#include "iotsec/key.h"
#include "test_util.h"

/* ------------------------------------------------------------------ */
/* RFC 8554 Appendix F                                                  */

/* Test Case 1: HSS L = 2, both levels LMS_SHA256_M32_H5 / LMOTS_SHA256_N32_W8 */
static const char tc1_pub[] =
    /* L = 2 */
    "00000002"
    /* LMS type 5, LM-OTS type 4 */
    "0000000500000004"
    /* I */
    "61a5d57d37f5e46bfb7520806b07a1b8"
    /* T[1] */
    "50650e3b31fe4a773ea29a07f09cf2ea30e579f0df58ef8e298da0434cb2b878";

static const char tc1_sig[] =
    /* Nspk = 1 */
    "00000001"
    /* sig[0]: q = 5, LM-OTS type 4 */
    "0000000500000004"
    /* sig[0]: C */
    "d32b56671d7eb98833c49b433c272586bc4a1c8a8970528ffa04b966f9426eb9"
    /* sig[0]: y[0..33] */
    "965a25bfd37f196b9073f3d4a232feb69128ec45146f86292f9dff9610a7bf95"
    "a64c7f60f6261a62043f86c70324b7707f5b4a8a6e19c114c7be866d488778a0"
    "e05fd5c6509a6e61d559cf1a77a970de927d60c70d3de31a7fa0100994e162a2"
    "582e8ff1b10cd99d4e8e413ef469559f7d7ed12c838342f9b9c96b83a4943d16"
    "81d84b15357ff48ca579f19f5e71f18466f2bbef4bf660c2518eb20de2f66e3b"
    "14784269d7d876f5d35d3fbfc7039a462c716bb9f6891a7f41ad133e9e1f6d95"
    "60b960e7777c52f060492f2d7c660e1471e07e72655562035abc9a701b473ecb"
    "c3943c6b9c4f2405a3cb8bf8a691ca51d3f6ad2f428bab6f3a30f55dd9625563"
    "f0a75ee390e385e3ae0b906961ecf41ae073a0590c2eb6204f44831c26dd768c"
    "35b167b28ce8dc988a3748255230cef99ebf14e730632f27414489808afab1d1"
    "e783ed04516de012498682212b07810579b250365941bcc98142da13609e9768"
    "aaf65de7620dabec29eb82a17fde35af15ad238c73f81bdb8dec2fc0e7f93270"
    "1099762b37f43c4a3c20010a3d72e2f606be108d310e639f09ce7286800d9ef8"
    "a1a40281cc5a7ea98d2adc7c7400c2fe5a101552df4e3cccfd0cbf2ddf5dc677"
    "9cbbc68fee0c3efe4ec22b83a2caa3e48e0809a0a750b73ccdcf3c79e6580c15"
    "4f8a58f7f24335eec5c5eb5e0cf01dcf4439424095fceb077f66ded5bec73b27"
    "c5b9f64a2a9af2f07c05e99e5cf80f00252e39db32f6c19674f190c9fbc506d8"
    "26857713afd2ca6bb85cd8c107347552f30575a5417816ab4db3f603f2df56fb"
    "c413e7d0acd8bdd81352b2471fc1bc4f1ef296fea1220403466b1afe78b94f7e"
    "cf7cc62fb92be14f18c2192384ebceaf8801afdf947f698ce9c6ceb696ed70e9"
    "e87b0144417e8d7baf25eb5f70f09f016fc925b4db048ab8d8cb2a661ce3b57a"
    "da67571f5dd546fc22cb1f97e0ebd1a65926b1234fd04f171cf469c76b884cf3"
    "115cce6f792cc84e36da58960c5f1d760f32c12faef477e94c92eb75625b6a37"
    "1efc72d60ca5e908b3a7dd69fef0249150e3eebdfed39cbdc3ce9704882a2072"
    "c75e13527b7a581a556168783dc1e97545e31865ddc46b3c957835da252bb732"
    "8d3ee2062445dfb85ef8c35f8e1f3371af34023cef626e0af1e0bc017351aae2"
    "ab8f5c612ead0b729a1d059d02bfe18efa971b7300e882360a93b025ff97e9e0"
    "eec0f3f3f13039a17f88b0cf808f488431606cb13f9241f40f44e537d302c64a"
    "4f1f4ab949b9feefadcb71ab50ef27d6d6ca8510f150c85fb525bf25703df720"
    "9b6066f09c37280d59128d2f0f637c7d7d7fad4ed1c1ea04e628d221e3d8db77"
    "b7c878c9411cafc5071a34a00f4cf07738912753dfce48f07576f0d4f94f42c6"
    "d76f7ce973e9367095ba7e9a3649b7f461d9f9ac1332a4d1044c96aefee67676"
    "401b64457c54d65fef6500c59cdfb69af7b6dddfcb0f086278dd8ad0686078df"
    "b0f3f79cd893d314168648499898fbc0ced5f95b74e8ff14d735cdea968bee74"
    /* sig[0]: LMS type 5 */
    "00000005"
    /* sig[0]: path[0..4] */
    "d8b8112f9200a5e50c4a262165bd342cd800b8496810bc716277435ac376728d"
    "129ac6eda839a6f357b5a04387c5ce97382a78f2a4372917eefcbf93f63bb591"
    "12f5dbe400bd49e4501e859f885bf0736e90a509b30a26bfac8c17b5991c157e"
    "b5971115aa39efd8d564a6b90282c3168af2d30ef89d51bf14654510a12b8a14"
    "4cca1848cf7da59cc2b3d9d0692dd2a20ba3863480e25b1b85ee860c62bf5136"
    /* pub[1]: LMS type 5, LM-OTS type 4 */
    "0000000500000004"
    /* pub[1]: I */
    "d2f14ff6346af964569f7d6cb880a1b6"
    /* pub[1]: T[1] */
    "6c5004917da6eafe4d9ef6c6407b3db0e5485b122d9ebe15cda93cfec582d7ab"
    /* sig[1]: q = 10, LM-OTS type 4 */
    "0000000a00000004"
    /* sig[1]: C */
    "0703c491e7558b35011ece3592eaa5da4d918786771233e8353bc4f62323185c"
    /* sig[1]: y[0..33] */
    "95cae05b899e35dffd717054706209988ebfdf6e37960bb5c38d7657e8bffeef"
    "9bc042da4b4525650485c66d0ce19b317587c6ba4bffcc428e25d08931e72dfb"
    "6a120c5612344258b85efdb7db1db9e1865a73caf96557eb39ed3e3f426933ac"
    "9eeddb03a1d2374af7bf77185577456237f9de2d60113c23f846df26fa942008"
    "a698994c0827d90e86d43e0df7f4bfcdb09b86a373b98288b7094ad81a0185ac"
    "100e4f2c5fc38c003c1ab6fea479eb2f5ebe48f584d7159b8ada03586e65ad9c"
    "969f6aecbfe44cf356888a7b15a3ff074f771760b26f9c04884ee1faa329fbf4"
    "e61af23aee7fa5d4d9a5dfcf43c4c26ce8aea2ce8a2990d7ba7b57108b47dabf"
    "beadb2b25b3cacc1ac0cef346cbb90fb044beee4fac2603a442bdf7e507243b7"
    "319c9944b1586e899d431c7f91bcccc8690dbf59b28386b2315f3d36ef2eaa3c"
    "f30b2b51f48b71b003dfb08249484201043f65f5a3ef6bbd61ddfee81aca9ce6"
    "0081262a00000480dcbc9a3da6fbef5c1c0a55e48a0e729f9184fcb1407c3152"
    "9db268f6fe50032a363c9801306837fafabdf957fd97eafc80dbd165e435d0e2"
    "dfd836a28b354023924b6fb7e48bc0b3ed95eea64c2d402f4d734c8dc26f3ac5"
    "91825daef01eae3c38e3328d00a77dc657034f287ccb0f0e1c9a7cbdc828f627"
    "205e4737b84b58376551d44c12c3c215c812a0970789c83de51d6ad787271963"
    "327f0a5fbb6b5907dec02c9a90934af5a1c63b72c82653605d1dcce51596b3c2"
    "b45696689f2eb382007497557692caac4d57b5de9f5569bc2ad0137fd47fb47e"
    "664fcb6db4971f5b3e07aceda9ac130e9f38182de994cff192ec0e82fd6d4cb7"
    "f3fe00812589b7a7ce515440456433016b84a59bec6619a1c6c0b37dd1450ed4"
    "f2d8b584410ceda8025f5d2d8dd0d2176fc1cf2cc06fa8c82bed4d944e71339e"
    "ce780fd025bd41ec34ebff9d4270a3224e019fcb444474d482fd2dbe75efb203"
    "89cc10cd600abb54c47ede93e08c114edb04117d714dc1d525e11bed8756192f"
    "929d15462b939ff3f52f2252da2ed64d8fae88818b1efa2c7b08c8794fb1b214"
    "aa233db3162833141ea4383f1a6f120be1db82ce3630b3429114463157a64e91"
    "234d475e2f79cbf05e4db6a9407d72c6bff7d1198b5c4d6aad2831db61274993"
    "715a0182c7dc8089e32c8531deed4f7431c07c02195eba2ef91efb5613c37af7"
    "ae0c066babc69369700e1dd26eddc0d216c781d56e4ce47e3303fa73007ff7b9"
    "49ef23be2aa4dbf25206fe45c20dd888395b2526391a724996a44156beac8082"
    "12858792bf8e74cba49dee5e8812e019da87454bff9e847ed83db07af3137430"
    "82f880a278f682c2bd0ad6887cb59f652e155987d61bbf6a88d36ee93b6072e6"
    "656d9ccbaae3d655852e38deb3a2dcf8058dc9fb6f2ab3d3b3539eb77b248a66"
    "1091d05eb6e2f297774fe6053598457cc61908318de4b826f0fc86d4bb117d33"
    "e865aa805009cc2918d9c2f840c4da43a703ad9f5b5806163d7161696b5a0adc"
    /* sig[1]: LMS type 5 */
    "00000005"
    /* sig[1]: path[0..4] */
    "d5c0d1bebb06048ed6fe2ef2c6cef305b3ed633941ebc8b3bec9738754cddd60"
    "e1920ada52f43d055b5031cee6192520d6a5115514851ce7fd448d4a39fae2ab"
    "2335b525f484e9b40d6a4a969394843bdcf6d14c48e8015e08ab92662c05c6e9"
    "f90b65a7a6201689999f32bfd368e5e3ec9cb70ac7b8399003f175c40885081a"
    "09ab3034911fe125631051df0408b3946b0bde790911e8978ba07dd56c73e7ee";

/* Test Case 2: HSS L = 2, top LMS_SHA256_M32_H10 / LMOTS_SHA256_N32_W4,
 * bottom LMS_SHA256_M32_H5 / LMOTS_SHA256_N32_W8 */
static const char tc2_pub[] =
    /* L = 2 */
    "00000002"
    /* LMS type 6, LM-OTS type 3 */
    "0000000600000003"
    /* I */
    "d08fabd4a2091ff0a8cb4ed834e74534"
    /* T[1] */
    "32a58885cd9ba0431235466bff9651c6c92124404d45fa53cf161c28f1ad5a8e";

static const char tc2_sig[] =
    /* Nspk = 1 */
    "00000001"
    /* sig[0]: q = 3, LM-OTS type 3 */
    "0000000300000003"
    /* sig[0]: C */
    "3d46bee8660f8f215d3f96408a7a64cf1c4da02b63a55f62c666ef5707a914ce"
    /* sig[0]: y[0..66] */
    "0674e8cb7a55f0c48d484f31f3aa4af9719a74f22cf823b94431d01c926e2a76"
    "bb71226d279700ec81c9e95fb11a0d10d065279a5796e265ae17737c44eb8c59"
    "4508e126a9a7870bf4360820bdeb9a01d9693779e416828e75bddd7d8c70d50a"
    "0ac8ba39810909d445f44cb5bb58de737e60cb4345302786ef2c6b14af212ca1"
    "9edeaa3bfcfe8baa6621ce88480df2371dd37add732c9de4ea2ce0dffa53c926"
    "49a18d39a50788f4652987f226a1d48168205df6ae7c58e049a25d4907edc1aa"
    "90da8aa5e5f7671773e941d8055360215c6b60dd35463cf2240a9c06d694e9cb"
    "54e7b1e1bf494d0d1a28c0d31acc75161f4f485dfd3cb9578e836ec2dc722f37"
    "ed30872e07f2b8bd0374eb57d22c614e09150f6c0d8774a39a6e168211035dc5"
    "2988ab46eaca9ec597fb18b4936e66ef2f0df26e8d1e34da28cbb3af75231372"
    "0c7b345434f72d65314328bbb030d0f0f6d5e47b28ea91008fb11b05017705a8"
    "be3b2adb83c60a54f9d1d1b2f476f9e393eb5695203d2ba6ad815e6a111ea293"
    "dcc21033f9453d49c8e5a6387f588b1ea4f706217c151e05f55a6eb7997be09d"
    "56a326a32f9cba1fbe1c07bb49fa04cecf9df1a1b815483c75d7a27cc88ad1b1"
    "238e5ea986b53e087045723ce16187eda22e33b2c70709e53251025abde89396"
    "45fc8c0693e97763928f00b2e3c75af3942d8ddaee81b59a6f1f67efda0ef81d"
    "11873b59137f67800b35e81b01563d187c4a1575a1acb92d087b517a8833383f"
    "05d357ef4678de0c57ff9f1b2da61dfde5d88318bcdde4d9061cc75c2de3cd47"
    "40dd7739ca3ef66f1930026f47d9ebaa713b07176f76f953e1c2e7f8f271a6ca"
    "375dbfb83d719b1635a7d8a13891957944b1c29bb101913e166e11bd5f34186f"
    "a6c0a555c9026b256a6860f4866bd6d0b5bf90627086c6149133f8282ce6c9b3"
    "622442443d5eca959d6c14ca8389d12c4068b503e4e3c39b635bea245d9d05a2"
    "558f249c9661c0427d2e489ca5b5dde220a90333f4862aec793223c781997da9"
    "8266c12c50ea28b2c438e7a379eb106eca0c7fd6006e9bf612f3ea0a454ba3bd"
    "b76e8027992e60de01e9094fddeb3349883914fb17a9621ab929d970d101e45f"
    "8278c14b032bcab02bd15692d21b6c5c204abbf077d465553bd6eda645e6c306"
    "5d33b10d518a61e15ed0f092c32226281a29c8a0f50cde0a8c66236e29c2f310"
    "a375cebda1dc6bb9a1a01dae6c7aba8ebedc6371a7d52aacb955f83bd6e4f84d"
    "2949dcc198fb77c7e5cdf6040b0f84faf82808bf985577f0a2acf2ec7ed7c0b0"
    "ae8a270e951743ff23e0b2dd12e9c3c828fb5598a22461af94d568f29240ba28"
    "20c4591f71c088f96e095dd98beae456579ebbba36f6d9ca2613d1c26eee4d8c"
    "73217ac5962b5f3147b492e8831597fd89b64aa7fde82e1974d2f6779504dc21"
    "435eb3109350756b9fdabe1c6f368081bd40b27ebcb9819a75d7df8bb07bb05d"
    "b1bab705a4b7e37125186339464ad8faaa4f052cc1272919fde3e025bb64aa8e"
    "0eb1fcbfcc25acb5f718ce4f7c2182fb393a1814b0e942490e52d3bca817b2b2"
    "6e90d4c9b0cc38608a6cef5eb153af0858acc867c9922aed43bb67d7b33acc51"
    "9313d28d41a5c6fe6cf3595dd5ee63f0a4c4065a083590b275788bee7ad875a7"
    "f88dd73720708c6c6c0ecf1f43bbaadae6f208557fdc07bd4ed91f88ce4c0de8"
    "42761c70c186bfdafafc444834bd3418be4253a71eaf41d718753ad07754ca3e"
    "ffd5960b0336981795721426803599ed5b2b7516920efcbe32ada4bcf6c73bd2"
    "9e3fa152d9adeca36020fdeeee1b739521d3ea8c0da497003df1513897b0f547"
    "94a873670b8d93bcca2ae47e64424b7423e1f078d9554bb5232cc6de8aae9b83"
    "fa5b9510beb39ccf4b4e1d9c0f19d5e17f58e5b8705d9a6837a7d9bf99cd1338"
    "7af256a8491671f1f2f22af253bcff54b673199bdb7d05d81064ef05f80f0153"
    "d0be7919684b23da8d42ff3effdb7ca0985033f389181f47659138003d712b5e"
    "c0a614d31cc7487f52de8664916af79c98456b2c94a8038083db55391e347586"
    "2250274a1de2584fec975fb09536792cfbfcf6192856cc76eb5b13dc4709e2f7"
    "301ddff26ec1b23de2d188c999166c74e1e14bbc15f457cf4e471ae13dcbdd9c"
    "50f4d646fc6278e8fe7eb6cb5c94100fa870187380b777ed19d7868fd8ca7ceb"
    "7fa7d5cc861c5bdac98e7495eb0a2ceec1924ae979f44c5390ebedddc65d6ec1"
    "1287d978b8df064219bc5679f7d7b264a76ff272b2ac9f2f7cfc9fdcfb6a5142"
    "8240027afd9d52a79b647c90c2709e060ed70f87299dd798d68f4fadd3da6c51"
    "d839f851f98f67840b964ebe73f8cec41572538ec6bc131034ca2894eb736b3b"
    "da93d9f5f6fa6f6c0f03ce43362b8414940355fb54d3dfdd03633ae108f3de3e"
    "bc85a3ff51efeea3bc2cf27e1658f1789ee612c83d0f5fd56f7cd071930e2946"
    "beeecaa04dccea9f97786001475e0294bc2852f62eb5d39bb9fbeef75916efe4"
    "4a662ecae37ede27e9d6eadfdeb8f8b2b2dbccbf96fa6dbaf7321fb0e701f4d4"
    "29c2f4dcd153a2742574126e5eaccc77686acf6e3ee48f423766e0fc466810a9"
    "05ff5453ec99897b56bc55dd49b991142f65043f2d744eeb935ba7f4ef23cf80"
    "cc5a8a335d3619d781e7454826df720eec82e06034c44699b5f0c44a8787752e"
    "057fa3419b5bb0e25d30981e41cb1361322dba8f69931cf42fad3f3bce6ded5b"
    "8bfc3d20a2148861b2afc14562ddd27f12897abf0685288dcc5c4982f8260268"
    "46a24bf77e383c7aacab1ab692b29ed8c018a65f3dc2b87ff619a633c41b4fad"
    "b1c78725c1f8f922f6009787b1964247df0136b1bc614ab575c59a16d089917b"
    "d4a8b6f04d95c581279a139be09fcf6e98a470a0bceca191fce476f9370021cb"
    "c05518a7efd35d89d8577c990a5e19961ba16203c959c91829ba7497cffcbb4b"
    "294546454fa5388a23a22e805a5ca35f956598848bda678615fec28afd5da61a"
    /* sig[0]: LMS type 6 */
    "00000006"
    /* sig[0]: path[0..9] */
    "b326493313053ced3876db9d237148181b7173bc7d042cefb4dbe94d2e58cd21"
    "a769db4657a103279ba8ef3a629ca84ee836172a9c50e51f45581741cf808315"
    "0b491cb4ecbbabec128e7c81a46e62a67b57640a0a78be1cbf7dd9d419a10cd8"
    "686d16621a80816bfdb5bdc56211d72ca70b81f1117d129529a7570cf79cf52a"
    "7028a48538ecdd3b38d3d5d62d26246595c4fb73a525a5ed2c30524ebb1d8cc8"
    "2e0c19bc4977c6898ff95fd3d310b0bae71696cef93c6a552456bf96e9d075e3"
    "83bb7543c675842bafbfc7cdb88483b3276c29d4f0a341c2d406e40d4653b7e4"
    "d045851acf6a0a0ea9c710b805cced4635ee8c107362f0fc8d80c14d0ac49c51"
    "6703d26d14752f34c1c0d2c4247581c18c2cf4de48e9ce949be7c888e9caebe4"
    "a415e291fd107d21dc1f084b1158208249f28f4f7c7e931ba7b3bd0d824a4570"
    /* pub[1]: LMS type 5, LM-OTS type 4 */
    "0000000500000004"
    /* pub[1]: I */
    "215f83b7ccb9acbcd08db97b0d04dc2b"
    /* pub[1]: T[1] */
    "a1cd035833e0e90059603f26e07ad2aad152338e7a5e5984bcd5f7bb4eba40b7"
    /* sig[1]: q = 4, LM-OTS type 4 */
    "0000000400000004"
    /* sig[1]: C */
    "0eb1ed54a2460d512388cad533138d240534e97b1e82d33bd927d201dfc24ebb"
    /* sig[1]: y[0..33] */
    "11b3649023696f85150b189e50c00e98850ac343a77b3638319c347d7310269d"
    "3b7714fa406b8c35b021d54d4fdada7b9ce5d4ba5b06719e72aaf58c5aae7aca"
    "057aa0e2e74e7dcfd17a0823429db62965b7d563c57b4cec942cc865e29c1dad"
    "83cac8b4d61aacc457f336e6a10b66323f5887bf3523dfcadee158503bfaa89d"
    "c6bf59daa82afd2b5ebb2a9ca6572a6067cee7c327e9039b3b6ea6a1edc7fdc3"
    "df927aade10c1c9f2d5ff446450d2a3998d0f9f6202b5e07c3f97d2458c69d3c"
    "8190643978d7a7f4d64e97e3f1c4a08a7c5bc03fd55682c017e2907eab07e5bb"
    "2f190143475a6043d5e6d5263471f4eecf6e2575fbc6ff37edfa249d6cda1a09"
    "f797fd5a3cd53a066700f45863f04b6c8a58cfd341241e002d0d2c0217472bf1"
    "8b636ae547c1771368d9f317835c9b0ef430b3df4034f6af00d0da44f4af7800"
    "bc7a5cf8a5abdb12dc718b559b74cab9090e33cc58a955300981c420c4da8ffd"
    "67df540890a062fe40dba8b2c1c548ced22473219c534911d48ccaabfb71bc71"
    "862f4a24ebd376d288fd4e6fb06ed8705787c5fedc813cd2697e5b1aac1ced45"
    "767b14ce88409eaebb601a93559aae893e143d1c395bc326da821d79a9ed41dc"
    "fbe549147f71c092f4f3ac522b5cc57290706650487bae9bb5671ecc9ccc2ce5"
    "1ead87ac01985268521222fb9057df7ed41810b5ef0d4f7cc67368c90f573b1a"
    "c2ce956c365ed38e893ce7b2fae15d3685a3df2fa3d4cc098fa57dd60d2c9754"
    "a8ade980ad0f93f6787075c3f680a2ba1936a8c61d1af52ab7e21f416be09d2a"
    "8d64c3d3d8582968c2839902229f85aee297e717c094c8df4a23bb5db658dd37"
    "7bf0f4ff3ffd8fba5e383a48574802ed545bbe7a6b4753533353d73706067640"
    "135a7ce517279cd683039747d218647c86e097b0daa2872d54b8f3e508598762"
    "9547b830d8118161b65079fe7bc59a99e9c3c7380e3e70b7138fe5d9be255150"
    "2b698d09ae193972f27d40f38dea264a0126e637d74ae4c92a6249fa103436d3"
    "eb0d4029ac712bfc7a5eacbdd7518d6d4fe903a5ae65527cd65bb0d4e9925ca2"
    "4fd7214dc617c150544e423f450c99ce51ac8005d33acd74f1bed3b17b7266a4"
    "a3bb86da7eba80b101e15cb79de9a207852cf91249ef480619ff2af8cabca831"
    "25d1faa94cbb0a03a906f683b3f47a97c871fd513e510a7a25f283b196075778"
    "496152a91c2bf9da76ebe089f4654877f2d586ae7149c406e663eadeb2b5c7e8"
    "2429b9e8cb4834c83464f079995332e4b3c8f5a72bb4b8c6f74b0d45dc6c1f79"
    "952c0b7420df525e37c15377b5f0984319c3993921e5ccd97e097592064530d3"
    "3de3afad5733cbe7703c5296263f77342efbf5a04755b0b3c997c4328463e84c"
    "aa2de3ffdcd297baaaacd7ae646e44b5c0f16044df38fabd296a47b3a838a913"
    "982fb2e370c078edb042c84db34ce36b46ccb76460a690cc86c302457dd1cde1"
    "97ec8075e82b393d542075134e2a17ee70a5e187075d03ae3c853cff60729ba4"
    /* sig[1]: LMS type 5 */
    "00000005"
    /* sig[1]: path[0..4] */
    "4de1f6965bdabc676c5a4dc7c35f97f82cb0e31c68d04f1dad96314ff09e6b3d"
    "e96aeee300d1f68bf1bca9fc58e4032336cd819aaf578744e50d1357a0e42867"
    "04d341aa0a337b19fe4bc43c2e79964d4f351089f2e0e41c7c43ae0d49e7f404"
    "b0f75be80ea3af098c9752420a8ac0ea2bbb1f4eeba05238aef0d8ce63f0c6e5"
    "e4041d95398a6f7f3e0ee97cc1591849d4ed236338b147abde9f51ef9fd4e1c1";

/* The messages, as the RFC prints them in hex (ASCII text with a final LF) */
static const char tc1_msg[] =
    "The powers not delegated to the United States by the Constitution, nor prohibited by it to "
    "the States, are reserved to the States respectively, or to the people.\n";
static const char tc2_msg[] =
    "The enumeration in the Constitution, of certain rights, shall not be construed to deny or "
    "disparage others retained by the people.\n";

#define N 32
#define LMS_PUB_LEN 56
#define HSS_PUB_LEN 60
/* LMS signature length for LM-OTS p chains and tree height h */
#define LMS_SIG_LEN(p, h) (4 + 4 + N + (p)*N + 4 + (h)*N)

/* Test Case 1 layout: Nspk | sig[0] | pub[1] | sig[1] */
#define TC1_SIG_LEN (4 + LMS_SIG_LEN(34, 5) + LMS_PUB_LEN + LMS_SIG_LEN(34, 5))
#define TC2_SIG_LEN (4 + LMS_SIG_LEN(67, 10) + LMS_PUB_LEN + LMS_SIG_LEN(34, 5))
enum {
    T1_S0 = 4,                           /* sig[0]: q */
    T1_S0_OTS = T1_S0 + 4,               /* LM-OTS type */
    T1_S0_C = T1_S0 + 8,                 /* C */
    T1_S0_Y = T1_S0_C + N,               /* y[0..33] */
    T1_S0_TYPE = T1_S0_Y + 34 * N,       /* LMS type */
    T1_S0_PATH = T1_S0_TYPE + 4,         /* path[0..4] */
    T1_P1 = T1_S0_PATH + 5 * N,          /* pub[1]: LMS type */
    T1_P1_OTS = T1_P1 + 4,
    T1_P1_I = T1_P1 + 8,
    T1_P1_T = T1_P1_I + 16,
    T1_S1 = T1_P1 + LMS_PUB_LEN,         /* sig[1] */
    T1_S1_C = T1_S1 + 8,
    T1_S1_Y = T1_S1_C + N,
    T1_S1_TYPE = T1_S1_Y + 34 * N,
    T1_S1_PATH = T1_S1_TYPE + 4,
    T1_END = T1_S1_PATH + 5 * N
};
_Static_assert(T1_END == TC1_SIG_LEN, "Test Case 1 layout");
_Static_assert(TC1_SIG_LEN == 2644, "Test Case 1 length");
_Static_assert(TC2_SIG_LEN == 3860, "Test Case 2 length");

static uint8_t pub1[HSS_PUB_LEN], sig1[TC1_SIG_LEN];
static uint8_t pub2[HSS_PUB_LEN], sig2[TC2_SIG_LEN];
static const uint8_t *msg1 = (const uint8_t *)tc1_msg, *msg2 = (const uint8_t *)tc2_msg;
static const size_t msg1_len = sizeof(tc1_msg) - 1, msg2_len = sizeof(tc2_msg) - 1;

/* Working copies for mutations; +1 for the appended byte. */
static uint8_t wpub[HSS_PUB_LEN + 1];
static uint8_t wsig[TC2_SIG_LEN + 1];

static void load_vectors(void)
{
    CHECK(test_unhex(tc1_pub, pub1, sizeof(pub1)) == sizeof(pub1));
    CHECK(test_unhex(tc1_sig, sig1, sizeof(sig1)) == sizeof(sig1));
    CHECK(test_unhex(tc2_pub, pub2, sizeof(pub2)) == sizeof(pub2));
    CHECK(test_unhex(tc2_sig, sig2, sizeof(sig2)) == sizeof(sig2));
}

/* Both entry points must agree: the portable function and the seam with
 * a kty HSS-LMS key. */
static void both(const char *what, const uint8_t *pub, size_t pub_len, const uint8_t *msg,
                 size_t msg_len, const uint8_t *sig, size_t sig_len, enum iotsec_err want)
{
    struct iotsec_key key;
    enum iotsec_err e1, e2;

    e1 = iotsec_hsslms_verify(pub, pub_len, msg, msg_len, sig, sig_len);
    iotsec_key_init_hsslms(&key, pub, pub_len);
    e2 = iotsec_crypto_verify(IOTSEC_ALG_HSS_LMS, &key, msg, msg_len, sig, sig_len);
    CHECK_MSG(e1 == want, "%s: iotsec_hsslms_verify returned %d (%s), want %d (%s)", what,
              (int)e1, iotsec_err_str(e1), (int)want, iotsec_err_str(want));
    CHECK_MSG(e2 == want, "%s: iotsec_crypto_verify returned %d (%s), want %d (%s)", what,
              (int)e2, iotsec_err_str(e2), (int)want, iotsec_err_str(want));
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void test_kat(void)
{
    double t0, t1;
    int i, reps = 20;

    both("RFC 8554 Test Case 1", pub1, sizeof(pub1), msg1, msg1_len, sig1, sizeof(sig1),
         IOTSEC_OK);
    both("RFC 8554 Test Case 2", pub2, sizeof(pub2), msg2, msg2_len, sig2, sizeof(sig2),
         IOTSEC_OK);
    /* each signature with the other's key or message */
    both("TC1 sig, TC2 key", pub2, sizeof(pub2), msg1, msg1_len, sig1, sizeof(sig1),
         IOTSEC_ERR_VERIFY_FAILED);
    both("TC1 key, TC2 message", pub1, sizeof(pub1), msg2, msg2_len, sig1, sizeof(sig1),
         IOTSEC_ERR_VERIFY_FAILED);

    /* time: Test Case 1 is two H5/W8 levels, 8431 SHA-256 calls */
    t0 = now_ms();
    for (i = 0; i < reps; i++)
        CHECK_ERR(iotsec_hsslms_verify(pub1, sizeof(pub1), msg1, msg1_len, sig1, sizeof(sig1)),
                  IOTSEC_OK);
    t1 = now_ms();
    printf("  RFC 8554 Test Case 1 (L=2, H5/W8): %.2f ms per verify\n", (t1 - t0) / reps);
    t0 = now_ms();
    for (i = 0; i < reps; i++)
        CHECK_ERR(iotsec_hsslms_verify(pub2, sizeof(pub2), msg2, msg2_len, sig2, sizeof(sig2)),
                  IOTSEC_OK);
    t1 = now_ms();
    printf("  RFC 8554 Test Case 2 (L=2, H10/W4 + H5/W8): %.2f ms per verify\n",
           (t1 - t0) / reps);
}

/* One change to the signature of Test Case 1 and the result it must give. */
struct mutation {
    const char *what;
    size_t off;
    uint8_t xor_mask; /* 0: set the byte to @set instead */
    uint8_t set;
    enum iotsec_err want;
};

static const struct mutation tc1_mutations[] = {
    {"Nspk 1 -> 0", 3, 0x01, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"Nspk 1 -> 3", 3, 0x02, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"Nspk high bit", 0, 0x80, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"sig[0] q 5 -> 4", T1_S0 + 3, 0x01, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"sig[0] q 5 -> 37 (>= 2^5)", T1_S0 + 3, 0x20, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"sig[0] q high bit", T1_S0, 0x80, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"sig[0] LM-OTS type 4 -> 5", T1_S0_OTS + 3, 0x01, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"sig[0] LM-OTS type 4 -> 3", T1_S0_OTS + 3, 0, 3, IOTSEC_ERR_VERIFY_FAILED},
    {"sig[0] C first byte", T1_S0_C, 0x01, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"sig[0] C last byte", T1_S0_C + N - 1, 0x80, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"sig[0] y[0]", T1_S0_Y, 0x01, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"sig[0] y[17]", T1_S0_Y + 17 * N + 5, 0x10, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"sig[0] y[33] (checksum chain)", T1_S0_Y + 33 * N + 31, 0x01, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"sig[0] LMS type 5 -> 4", T1_S0_TYPE + 3, 0x01, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"sig[0] LMS type 5 -> 6", T1_S0_TYPE + 3, 0, 6, IOTSEC_ERR_VERIFY_FAILED},
    {"sig[0] path[0]", T1_S0_PATH, 0x01, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"sig[0] path[4]", T1_S0_PATH + 4 * N + 31, 0x40, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"pub[1] LMS type 5 -> 7 (H15: lengths no longer fit)", T1_P1 + 3, 0x02, 0,
     IOTSEC_ERR_VERIFY_FAILED},
    {"pub[1] LMS type 5 -> 4 (unknown)", T1_P1 + 3, 0x01, 0, IOTSEC_ERR_UNSUPPORTED_ALG},
    {"pub[1] LMS type 5 -> 10 (LMS_SHA256_M24_H5)", T1_P1 + 3, 0, 10, IOTSEC_ERR_UNSUPPORTED_ALG},
    {"pub[1] LM-OTS type 4 -> 5 (LMOTS_SHA256_N24_W1)", T1_P1_OTS + 3, 0x01, 0,
     IOTSEC_ERR_UNSUPPORTED_ALG},
    {"pub[1] LM-OTS type 4 -> 3 (lengths no longer fit)", T1_P1_OTS + 3, 0, 3,
     IOTSEC_ERR_VERIFY_FAILED},
    {"pub[1] I", T1_P1_I + 7, 0x04, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"pub[1] T[1]", T1_P1_T + 31, 0x01, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"sig[1] q 10 -> 11", T1_S1 + 3, 0x01, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"sig[1] q >= 2^5", T1_S1 + 3, 0x40, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"sig[1] LM-OTS type", T1_S1 + 7, 0x08, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"sig[1] C", T1_S1_C + 16, 0x01, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"sig[1] y[0]", T1_S1_Y, 0x80, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"sig[1] y[33]", T1_S1_Y + 33 * N, 0x01, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"sig[1] LMS type", T1_S1_TYPE + 3, 0x01, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"sig[1] path[0]", T1_S1_PATH + 3, 0x01, 0, IOTSEC_ERR_VERIFY_FAILED},
    {"sig[1] path[4], last byte", T1_END - 1, 0x01, 0, IOTSEC_ERR_VERIFY_FAILED},
};

static void test_negative(void)
{
    static const size_t cuts[] = {0,         3,         4,         T1_S0_Y,   T1_P1 - 1,
                                  T1_P1,     T1_P1 + 4, T1_P1 + 8, T1_S1 - 1, T1_S1,
                                  T1_S1 + 8, T1_S1_Y,   T1_END - N};
    char what[128];
    size_t i;

    for (i = 0; i < sizeof(tc1_mutations) / sizeof(tc1_mutations[0]); i++) {
        const struct mutation *mu = &tc1_mutations[i];
        memcpy(wsig, sig1, sizeof(sig1));
        if (mu->xor_mask != 0)
            wsig[mu->off] ^= mu->xor_mask;
        else
            wsig[mu->off] = mu->set;
        both(mu->what, pub1, sizeof(pub1), msg1, msg1_len, wsig, sizeof(sig1), mu->want);
    }

    /* one bit in every 23rd byte, all over the signature */
    for (i = 0; i < sizeof(sig1); i += 23) {
        memcpy(wsig, sig1, sizeof(sig1));
        wsig[i] ^= (uint8_t)(1u << (i % 8));
        CHECK_MSG(iotsec_hsslms_verify(pub1, sizeof(pub1), msg1, msg1_len, wsig, sizeof(sig1)) !=
                      IOTSEC_OK,
                  "bit %zu of byte %zu flipped still verifies", i % 8, i);
    }

    /* Test Case 2: one region of each level */
    {
        static const size_t offs[] = {7, 12 + 5, 44 + 66 * N, 44 + 67 * N + 3,
                                      44 + 67 * N + 4 + 9 * N, TC2_SIG_LEN - 1};
        for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
            memcpy(wsig, sig2, sizeof(sig2));
            wsig[offs[i]] ^= 0x01;
            snprintf(what, sizeof(what), "Test Case 2, byte %zu flipped", offs[i]);
            both(what, pub2, sizeof(pub2), msg2, msg2_len, wsig, sizeof(sig2),
                 IOTSEC_ERR_VERIFY_FAILED);
        }
    }

    /* length: one byte short, one byte more, cut at every boundary */
    both("truncated by 1", pub1, sizeof(pub1), msg1, msg1_len, sig1, sizeof(sig1) - 1,
         IOTSEC_ERR_VERIFY_FAILED);
    memcpy(wsig, sig1, sizeof(sig1));
    wsig[sizeof(sig1)] = 0;
    both("1 byte appended", pub1, sizeof(pub1), msg1, msg1_len, wsig, sizeof(sig1) + 1,
         IOTSEC_ERR_VERIFY_FAILED);
    for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        snprintf(what, sizeof(what), "cut to %zu bytes", cuts[i]);
        both(what, pub1, sizeof(pub1), msg1, msg1_len, sig1, cuts[i], IOTSEC_ERR_VERIFY_FAILED);
    }
    both("empty signature", pub1, sizeof(pub1), msg1, msg1_len, NULL, 0,
         IOTSEC_ERR_VERIFY_FAILED);
    both("Test Case 2 truncated by 1", pub2, sizeof(pub2), msg2, msg2_len, sig2,
         sizeof(sig2) - 1, IOTSEC_ERR_VERIFY_FAILED);
    memcpy(wsig, sig2, sizeof(sig2));
    wsig[sizeof(sig2)] = 0xff;
    both("Test Case 2, 1 byte appended", pub2, sizeof(pub2), msg2, msg2_len, wsig,
         sizeof(sig2) + 1, IOTSEC_ERR_VERIFY_FAILED);

    /* L: in the signature (Nspk) and in the public key */
    memcpy(wsig, sig1, sizeof(sig1));
    put32(wsig, 0);
    both("Nspk 0 for L = 2", pub1, sizeof(pub1), msg1, msg1_len, wsig, sizeof(sig1),
         IOTSEC_ERR_VERIFY_FAILED);
    put32(wsig, 2);
    both("Nspk 2 for L = 2", pub1, sizeof(pub1), msg1, msg1_len, wsig, sizeof(sig1),
         IOTSEC_ERR_VERIFY_FAILED);
    put32(wsig, 0xffffffffu);
    both("Nspk 2^32-1", pub1, sizeof(pub1), msg1, msg1_len, wsig, sizeof(sig1),
         IOTSEC_ERR_VERIFY_FAILED);
    {
        static const uint32_t ls[] = {0, 1, 3, 8, 9, 0x80000002u};
        for (i = 0; i < sizeof(ls) / sizeof(ls[0]); i++) {
            memcpy(wpub, pub1, sizeof(pub1));
            put32(wpub, ls[i]);
            snprintf(what, sizeof(what), "public key L = %u", (unsigned)ls[i]);
            both(what, wpub, sizeof(pub1), msg1, msg1_len, sig1, sizeof(sig1),
                 IOTSEC_ERR_VERIFY_FAILED);
        }
        /* L = 1 and Nspk = 0, but a whole second level follows */
        memcpy(wpub, pub1, sizeof(pub1));
        put32(wpub, 1);
        memcpy(wsig, sig1, sizeof(sig1));
        put32(wsig, 0);
        both("L = 1, Nspk = 0, two levels", wpub, sizeof(pub1), msg1, msg1_len, wsig,
             sizeof(sig1), IOTSEC_ERR_VERIFY_FAILED);
    }

    /* the message */
    both("message one byte short", pub1, sizeof(pub1), msg1, msg1_len - 1, sig1, sizeof(sig1),
         IOTSEC_ERR_VERIFY_FAILED);
    both("empty message", pub1, sizeof(pub1), NULL, 0, sig1, sizeof(sig1),
         IOTSEC_ERR_VERIFY_FAILED);
    {
        uint8_t m[sizeof(tc1_msg)];
        memcpy(m, msg1, msg1_len);
        m[10] ^= 0x20;
        both("message with one bit flipped", pub1, sizeof(pub1), m, msg1_len, sig1,
             sizeof(sig1), IOTSEC_ERR_VERIFY_FAILED);
    }

    /* the public key: typecodes, I, T, length */
    {
        static const struct {
            size_t off;
            uint32_t v;
            enum iotsec_err want;
        } pk[] = {
            {4, 4, IOTSEC_ERR_UNSUPPORTED_ALG},          /* LMS type 4: unassigned */
            {4, 0, IOTSEC_ERR_UNSUPPORTED_ALG},
            {4, 10, IOTSEC_ERR_UNSUPPORTED_ALG},         /* LMS_SHA256_M24_H5 (RFC 9858) */
            {4, 15, IOTSEC_ERR_UNSUPPORTED_ALG},         /* LMS_SHAKE_M32_H5 */
            {4, 0xffffffffu, IOTSEC_ERR_UNSUPPORTED_ALG},
            {8, 0, IOTSEC_ERR_UNSUPPORTED_ALG},
            {8, 5, IOTSEC_ERR_UNSUPPORTED_ALG},          /* LMOTS_SHA256_N24_W1 */
            {8, 13, IOTSEC_ERR_UNSUPPORTED_ALG},         /* LMOTS_SHAKE_N32_W1 */
            {4, 6, IOTSEC_ERR_VERIFY_FAILED},            /* H10: the signature says H5 */
            {8, 3, IOTSEC_ERR_VERIFY_FAILED},            /* W4: the signature says W8 */
            {12, 0x61a5d57cu, IOTSEC_ERR_VERIFY_FAILED}, /* I */
            {56, 0x2cb2b879u, IOTSEC_ERR_VERIFY_FAILED}, /* T[1] */
        };
        for (i = 0; i < sizeof(pk) / sizeof(pk[0]); i++) {
            memcpy(wpub, pub1, sizeof(pub1));
            put32(wpub + pk[i].off, pk[i].v);
            snprintf(what, sizeof(what), "public key word at %zu = %#x", pk[i].off,
                     (unsigned)pk[i].v);
            both(what, wpub, sizeof(pub1), msg1, msg1_len, sig1, sizeof(sig1), pk[i].want);
        }
    }
    both("public key 59 bytes", pub1, sizeof(pub1) - 1, msg1, msg1_len, sig1, sizeof(sig1),
         IOTSEC_ERR_VERIFY_FAILED);
    memcpy(wpub, pub1, sizeof(pub1));
    wpub[sizeof(pub1)] = 0;
    both("public key 61 bytes", wpub, sizeof(pub1) + 1, msg1, msg1_len, sig1, sizeof(sig1),
         IOTSEC_ERR_VERIFY_FAILED);
    both("public key 12 bytes", pub1, 12, msg1, msg1_len, sig1, sizeof(sig1),
         IOTSEC_ERR_VERIFY_FAILED);
    both("public key 3 bytes", pub1, 3, msg1, msg1_len, sig1, sizeof(sig1),
         IOTSEC_ERR_VERIFY_FAILED);
    both("public key empty", NULL, 0, msg1, msg1_len, sig1, sizeof(sig1),
         IOTSEC_ERR_VERIFY_FAILED);
    /* an unknown typecode in the key wins over a short key: the key may
     * simply be of a set (SHA-256/192: 48 bytes) this build lacks */
    memcpy(wpub, pub1, sizeof(pub1));
    put32(wpub + 4, 10);
    both("LMS_SHA256_M24_H5 key of 52 bytes", wpub, 52, msg1, msg1_len, sig1, sizeof(sig1),
         IOTSEC_ERR_UNSUPPORTED_ALG);

    /* misuse */
    CHECK_ERR(iotsec_hsslms_verify(NULL, 60, msg1, msg1_len, sig1, sizeof(sig1)),
              IOTSEC_ERR_INVALID_ARG);
    CHECK_ERR(iotsec_hsslms_verify(pub1, sizeof(pub1), NULL, 1, sig1, sizeof(sig1)),
              IOTSEC_ERR_INVALID_ARG);
    CHECK_ERR(iotsec_hsslms_verify(pub1, sizeof(pub1), msg1, msg1_len, NULL, 1),
              IOTSEC_ERR_INVALID_ARG);
}

/* The seam around -46: keys, sign, lengths. */
static void test_seam(void)
{
    struct iotsec_key hk, sym, ec;
    uint8_t out[IOTSEC_MAX_SIG], md[32];
    size_t out_len = 1;

    iotsec_key_init_hsslms(&hk, pub1, sizeof(pub1));
    CHECK(hk.kty == IOTSEC_KTY_HSS_LMS && hk.k == pub1 && hk.k_len == sizeof(pub1) &&
          hk.has_private == 0 && hk.handle == NULL && hk.alg == 0);
    CHECK_ERR(iotsec_crypto_verify(IOTSEC_ALG_HSS_LMS, &hk, msg1, msg1_len, sig1, sizeof(sig1)),
              IOTSEC_OK);
    CHECK_ERR(iotsec_crypto_verify(IOTSEC_ALG_HSS_LMS, NULL, msg1, msg1_len, sig1, sizeof(sig1)),
              IOTSEC_ERR_KEY_USAGE);
    /* the raw key bytes as a symmetric key are not an HSS-LMS key */
    iotsec_key_init_symmetric(&sym, pub1, sizeof(pub1));
    CHECK_ERR(iotsec_crypto_verify(IOTSEC_ALG_HSS_LMS, &sym, msg1, msg1_len, sig1, sizeof(sig1)),
              IOTSEC_ERR_KEY_USAGE);
    CHECK_ERR(iotsec_key_generate(&ec, IOTSEC_CRV_P256), IOTSEC_OK);
    CHECK_ERR(iotsec_crypto_verify(IOTSEC_ALG_HSS_LMS, &ec, msg1, msg1_len, sig1, sizeof(sig1)),
              IOTSEC_ERR_KEY_USAGE);
    iotsec_key_free(&ec);
    /* and an HSS-LMS key is no key for the other algorithms */
    CHECK_ERR(iotsec_crypto_verify(IOTSEC_ALG_ES256, &hk, msg1, msg1_len, sig1, 64),
              IOTSEC_ERR_KEY_USAGE);
    CHECK_ERR(iotsec_crypto_verify(IOTSEC_ALG_EDDSA, &hk, msg1, msg1_len, sig1, 64),
              IOTSEC_ERR_KEY_USAGE);
    CHECK_ERR(iotsec_crypto_verify(IOTSEC_ALG_HSS_LMS, &hk, NULL, 1, sig1, sizeof(sig1)),
              IOTSEC_ERR_INVALID_ARG);
    /* verify only; no fixed length; no prehash */
    CHECK_ERR(iotsec_crypto_sign(IOTSEC_ALG_HSS_LMS, &hk, msg1, msg1_len, out, sizeof(out),
                                 &out_len),
              IOTSEC_ERR_UNSUPPORTED_ALG);
    CHECK(out_len == 0);
    CHECK(iotsec_crypto_sig_len(IOTSEC_ALG_HSS_LMS) == 0);
    CHECK(iotsec_crypto_sig_hash(IOTSEC_ALG_HSS_LMS) == 0);
    memset(md, 0, sizeof(md));
    CHECK_ERR(iotsec_crypto_verify_digest(IOTSEC_ALG_HSS_LMS, &hk, md, sizeof(md), sig1,
                                          sizeof(sig1)),
              IOTSEC_ERR_UNSUPPORTED_ALG);
    CHECK_ERR(iotsec_crypto_sign_digest(IOTSEC_ALG_HSS_LMS, &hk, md, sizeof(md), out,
                                        sizeof(out), &out_len),
              IOTSEC_ERR_UNSUPPORTED_ALG);
    iotsec_key_free(&hk); /* nothing to release; wipes the struct */
    CHECK(hk.kty == 0 && hk.k == NULL);
}

/* ------------------------------------------------------------------ */
/* Signatures made here, for every parameter set                         */

struct ots_set {
    uint32_t type;
    unsigned w, p, ls;
};
static const struct ots_set ots_sets[] = {{1, 1, 265, 7}, {2, 2, 133, 6}, {3, 4, 67, 4},
                                          {4, 8, 34, 0}};
static const struct {
    uint32_t type;
    unsigned h;
} lms_sets[] = {{5, 5}, {6, 10}, {7, 15}, {8, 20}, {9, 25}};

#define MAX_LEVELS 8
#define MAX_LMS_SIG LMS_SIG_LEN(265, 25)
static uint8_t gen_pub[HSS_PUB_LEN];
static uint8_t gen_sig[4 + MAX_LEVELS * (MAX_LMS_SIG + LMS_PUB_LEN)];
static size_t gen_sig_len;

static void sha256(const uint8_t *in, size_t len, uint8_t *out)
{
    size_t n;

    if (iotsec_crypto_hash(IOTSEC_ALG_SHA256, in, len, out, N, &n) != IOTSEC_OK || n != N)
        test_fail(__FILE__, __LINE__, "SHA-256 failed");
}

/* Deterministic filler: SHA-256(tag || counter). */
static void fill(uint8_t *out, size_t len, uint32_t tag)
{
    static uint32_t counter;
    uint8_t in[8], h[N];
    size_t i;

    for (i = 0; i < len; i += N) {
        put32(in, tag);
        put32(in + 4, counter++);
        sha256(in, sizeof(in), h);
        memcpy(out + i, h, len - i < N ? len - i : N);
    }
}

static unsigned coef(const uint8_t *s, unsigned i, unsigned w)
{
    return ((unsigned)s[i * w / 8] >> (8 - (w * (i % (8 / w)) + w))) & ((1u << w) - 1);
}

/* chain step j of chain i: H(I || u32str(q) || u16str(i) || u8str(j) || x) */
static void chain(const uint8_t *id, uint32_t q, unsigned i, unsigned from, unsigned to,
                  uint8_t *x)
{
    uint8_t buf[16 + 4 + 2 + 1 + N];
    unsigned j;

    memcpy(buf, id, 16);
    put32(buf + 16, q);
    buf[20] = (uint8_t)(i >> 8);
    buf[21] = (uint8_t)i;
    for (j = from; j < to; j++) {
        buf[22] = (uint8_t)j;
        memcpy(buf + 23, x, N);
        sha256(buf, sizeof(buf), x);
    }
}

/*
 * Write an LMS signature of @p msg into @p out and the matching LMS public
 * key into @p pub: LM-OTS signing (RFC 8554 Algorithm 3) from random chain
 * starts, the OTS public key from the chain ends, a random authentication
 * path, and the root that path leads to as T[1].
 */
static void lms_make(const struct ots_set *os, uint32_t lms_type, unsigned h, uint32_t q,
                       const uint8_t *msg, size_t msg_len, uint8_t *out, uint8_t *pub)
{
    static uint8_t mbuf[16 + 4 + 2 + N + 64];
    uint8_t id[16], qc[N + 2], x[N], node[16 + 4 + 2 + 2 * N], tmp[N];
    struct iotsec_crypto_hash_ctx kc;
    uint32_t r;
    unsigned i, sum = 0, max = (1u << os->w) - 1;
    uint8_t *y, *path;
    size_t n;

    fill(id, sizeof(id), 1);
    put32(out, q);
    put32(out + 4, os->type);
    fill(out + 8, N, 2); /* C */
    /* Q = H(I || u32str(q) || u16str(D_MESG) || C || message) */
    CHECK(msg_len <= 64);
    memcpy(mbuf, id, 16);
    put32(mbuf + 16, q);
    mbuf[20] = 0x81;
    mbuf[21] = 0x81;
    memcpy(mbuf + 22, out + 8, N);
    memcpy(mbuf + 22 + N, msg, msg_len);
    sha256(mbuf, 22 + N + msg_len, qc);
    for (i = 0; i < N * 8 / os->w; i++)
        sum += max - coef(qc, i, os->w);
    sum <<= os->ls;
    qc[N] = (uint8_t)(sum >> 8);
    qc[N + 1] = (uint8_t)sum;

    /* y[i] = chain(x[i], 0, a), z[i] = chain(y[i], a, 2^w - 1) */
    y = out + 8 + N;
    CHECK_ERR(iotsec_crypto_hash_init(&kc, IOTSEC_ALG_SHA256), IOTSEC_OK);
    memcpy(node, id, 16);
    put32(node + 16, q);
    node[20] = 0x80;
    node[21] = 0x80;
    iotsec_crypto_hash_update(&kc, node, 22);
    for (i = 0; i < os->p; i++) {
        unsigned a = coef(qc, i, os->w);
        fill(x, N, 3);
        chain(id, q, i, 0, a, x);
        memcpy(y + (size_t)i * N, x, N);
        chain(id, q, i, a, max, x);
        iotsec_crypto_hash_update(&kc, x, N);
    }
    CHECK_ERR(iotsec_crypto_hash_finish(&kc, tmp, sizeof(tmp), &n), IOTSEC_OK);

    put32(y + (size_t)os->p * N, lms_type);
    path = y + (size_t)os->p * N + 4;
    fill(path, (size_t)h * N, 4);

    /* leaf and root */
    r = ((uint32_t)1 << h) + q;
    memcpy(node + 22, tmp, N);
    put32(node + 16, r);
    node[20] = 0x82;
    node[21] = 0x82;
    sha256(node, 22 + N, tmp);
    node[20] = 0x83;
    node[21] = 0x83;
    for (i = 0; r > 1; i++, r >>= 1) {
        put32(node + 16, r >> 1);
        if (r & 1) {
            memcpy(node + 22, path + (size_t)i * N, N);
            memcpy(node + 22 + N, tmp, N);
        } else {
            memcpy(node + 22, tmp, N);
            memcpy(node + 22 + N, path + (size_t)i * N, N);
        }
        sha256(node, sizeof(node), tmp);
    }
    put32(pub, lms_type);
    put32(pub + 4, os->type);
    memcpy(pub + 8, id, 16);
    memcpy(pub + 24, tmp, N);
}

/*
 * An HSS signature with @p levels levels, level i using ots_sets[ots[i]]
 * and lms_sets[lms[i]], leaf q[i]. Made bottom-up: the last level signs the
 * message, each level above signs the public key of the one below. The
 * LMS signatures are written at their final offsets, which depend only on
 * the parameters.
 */
static void hss_make(unsigned levels, const unsigned *ots, const unsigned *lms,
                     const uint32_t *q, const uint8_t *msg, size_t msg_len)
{
    size_t off[MAX_LEVELS], o = 4;
    uint8_t pub[LMS_PUB_LEN];
    unsigned i;

    for (i = 0; i < levels; i++) {
        off[i] = o;
        o += LMS_SIG_LEN(ots_sets[ots[i]].p, lms_sets[lms[i]].h);
        if (i + 1 < levels)
            o += LMS_PUB_LEN;
    }
    gen_sig_len = o;
    put32(gen_sig, levels - 1);
    for (i = levels; i-- > 0;) {
        if (i + 1 == levels)
            lms_make(&ots_sets[ots[i]], lms_sets[lms[i]].type, lms_sets[lms[i]].h, q[i],
                           msg, msg_len, gen_sig + off[i], pub);
        else
            lms_make(&ots_sets[ots[i]], lms_sets[lms[i]].type, lms_sets[lms[i]].h, q[i],
                           gen_sig + off[i + 1] - LMS_PUB_LEN, LMS_PUB_LEN, gen_sig + off[i],
                           pub);
        if (i > 0)
            memcpy(gen_sig + off[i] - LMS_PUB_LEN, pub, LMS_PUB_LEN);
        else
            memcpy(gen_pub + 4, pub, LMS_PUB_LEN);
    }
    put32(gen_pub, levels);
}

static void test_generated(void)
{
    static const uint8_t msg[] = "iotsec HSS-LMS";
    const size_t msg_len = sizeof(msg) - 1;
    char what[128];
    unsigned o, l;

    /* every LMS x LM-OTS pair, L = 1, at the first, last and a middle leaf */
    for (l = 0; l < 5; l++) {
        for (o = 0; o < 4; o++) {
            unsigned h = lms_sets[l].h;
            uint32_t qs[3] = {0, ((uint32_t)1 << h) - 1, (uint32_t)1 << (h - 1)};
            unsigned k;
            for (k = 0; k < 3; k++) {
                hss_make(1, &o, &l, &qs[k], msg, msg_len);
                snprintf(what, sizeof(what), "L=1 H%u/W%u q=%u", h, ots_sets[o].w,
                         (unsigned)qs[k]);
                both(what, gen_pub, HSS_PUB_LEN, msg, msg_len, gen_sig, gen_sig_len, IOTSEC_OK);
            }
            /* one bit of the last y, which the checksum digits decide */
            gen_sig[4 + 8 + N + (size_t)ots_sets[o].p * N - 1] ^= 0x01;
            snprintf(what, sizeof(what), "L=1 H%u/W%u last y flipped", h, ots_sets[o].w);
            both(what, gen_pub, HSS_PUB_LEN, msg, msg_len, gen_sig, gen_sig_len,
                 IOTSEC_ERR_VERIFY_FAILED);
            gen_sig[4 + 8 + N + (size_t)ots_sets[o].p * N - 1] ^= 0x01;
            /* q = 2^h with a root made for it: out of range all the same */
            {
                uint32_t big = (uint32_t)1 << h;
                hss_make(1, &o, &l, &big, msg, msg_len);
                snprintf(what, sizeof(what), "L=1 H%u/W%u q=2^h", h, ots_sets[o].w);
                both(what, gen_pub, HSS_PUB_LEN, msg, msg_len, gen_sig, gen_sig_len,
                     IOTSEC_ERR_VERIFY_FAILED);
            }
        }
    }

    /* L = 8, a different parameter set on every level */
    {
        const unsigned ots[MAX_LEVELS] = {0, 1, 2, 3, 3, 2, 1, 0};
        const unsigned lms[MAX_LEVELS] = {4, 3, 2, 1, 0, 0, 1, 2};
        const uint32_t q[MAX_LEVELS] = {12345, 1, 0, 1023, 31, 7, 1000, 32767};
        unsigned lv;

        hss_make(8, ots, lms, q, msg, msg_len);
        both("L=8, mixed sets", gen_pub, HSS_PUB_LEN, msg, msg_len, gen_sig, gen_sig_len,
             IOTSEC_OK);
        both("L=8, other message", gen_pub, HSS_PUB_LEN, msg, msg_len - 1, gen_sig, gen_sig_len,
             IOTSEC_ERR_VERIFY_FAILED);
        put32(gen_pub, 7);
        both("L=8 signature, L=7 key", gen_pub, HSS_PUB_LEN, msg, msg_len, gen_sig, gen_sig_len,
             IOTSEC_ERR_VERIFY_FAILED);
        put32(gen_pub, 8);
        /* break each level's root in turn: the embedded public keys */
        for (lv = 1; lv < MAX_LEVELS; lv++) {
            size_t off = 4;
            unsigned j;
            for (j = 0; j < lv; j++)
                off += LMS_SIG_LEN(ots_sets[ots[j]].p, lms_sets[lms[j]].h) +
                       (j + 1 < lv ? LMS_PUB_LEN : 0);
            gen_sig[off + LMS_PUB_LEN - 1] ^= 0x01; /* pub[lv] T[1] */
            snprintf(what, sizeof(what), "L=8, pub[%u] T[1] flipped", lv);
            both(what, gen_pub, HSS_PUB_LEN, msg, msg_len, gen_sig, gen_sig_len,
                 IOTSEC_ERR_VERIFY_FAILED);
            gen_sig[off + LMS_PUB_LEN - 1] ^= 0x01;
        }
        both("L=8 restored", gen_pub, HSS_PUB_LEN, msg, msg_len, gen_sig, gen_sig_len,
             IOTSEC_OK);
    }
    /* L = 9 is out of range even with a consistent signature */
    {
        const unsigned ots[1] = {3}, lms[1] = {0};
        const uint32_t q[1] = {0};
        hss_make(1, ots, lms, q, msg, msg_len);
        both("L=1 made", gen_pub, HSS_PUB_LEN, msg, msg_len, gen_sig, gen_sig_len, IOTSEC_OK);
        put32(gen_pub, 9);
        put32(gen_sig, 8);
        both("L=9", gen_pub, HSS_PUB_LEN, msg, msg_len, gen_sig, gen_sig_len,
             IOTSEC_ERR_VERIFY_FAILED);
    }
}

/* ------------------------------------------------------------------ */
/* COSE: cose-wg/Examples hashsig, COSE_Key kty 5                        */

/* The hex string value of the first "name": "..." in @p json. */
static size_t json_hex(const char *json, const char *name, uint8_t *out, size_t cap)
{
    char pat[64];
    const char *p, *e;
    static char hex[16384];
    size_t n;

    snprintf(pat, sizeof(pat), "\"%s\"", name);
    p = strstr(json, pat);
    if (p == NULL)
        return (size_t)-1;
    p += strlen(pat);
    while (*p == ' ' || *p == ':' || *p == '\n' || *p == '\t' || *p == '\r')
        p++;
    if (*p++ != '"')
        return (size_t)-1;
    e = strchr(p, '"');
    if (e == NULL || (size_t)(e - p) >= sizeof(hex))
        return (size_t)-1;
    n = (size_t)(e - p);
    memcpy(hex, p, n);
    hex[n] = '\0';
    return test_unhex(hex, out, cap);
}

static uint8_t cose_scratch[512];

static enum iotsec_err cose_verify(const uint8_t *msg, size_t len, enum iotsec_cose_type t,
                                   const struct iotsec_key *key, const char *kid,
                                   struct iotsec_cose_result *r, size_t scratch)
{
    struct iotsec_cose_msg m;
    struct iotsec_cose_keyset_entry e = {key, {(const uint8_t *)kid, kid ? strlen(kid) : 0}};
    struct iotsec_cose_keyset ks = {&e, 1};
    struct iotsec_cose_opts o;
    enum iotsec_err err = iotsec_cose_decode(msg, len, t, NULL, 0, &m);

    if (err != IOTSEC_OK)
        return err;
    memset(&o, 0, sizeof(o));
    o.scratch.ptr = cose_scratch;
    o.scratch.len = scratch;
    return iotsec_cose_verify(&m, &ks, &o, r);
}

static void test_cose_examples(void)
{
    static const struct {
        const char *file;
        enum iotsec_cose_type type;
    } ex[] = {{"vectors/cose-wg-examples/hashsig/hashsig-01.json", IOTSEC_COSE_SIGN},
              {"vectors/cose-wg-examples/hashsig/hsssig-sig-01.json", IOTSEC_COSE_SIGN1}};
    static uint8_t cbor[8192], pub[256];
    static const char content[] = "This is the content.";
    size_t i;

    for (i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
        const char *path = test_shared_path(ex[i].file);
        size_t jlen = 0, clen, plen;
        char *json = (char *)test_read_file(path, &jlen);
        struct iotsec_cose_result r;
        struct iotsec_key key, wrong;

        CHECK_MSG(json != NULL, "cannot read %s", path);
        if (json == NULL)
            continue;
        /* the key is the raw HSS public key in hex: 1 level, H10/W4 */
        plen = json_hex(json, "public", pub, sizeof(pub));
        clen = json_hex(json, "cbor", cbor, sizeof(cbor) - 1);
        free(json);
        CHECK_MSG(plen == HSS_PUB_LEN, "%s: public key of %zu bytes", ex[i].file, plen);
        CHECK_MSG(clen != (size_t)-1 && clen > 2512, "%s: output.cbor of %zu bytes", ex[i].file,
                  clen);
        if (plen != HSS_PUB_LEN || clen == (size_t)-1)
            continue;
        CHECK(memcmp(pub, "\x00\x00\x00\x01\x00\x00\x00\x06\x00\x00\x00\x03", 12) == 0);

        iotsec_key_init_hsslms(&key, pub, plen);
        CHECK_ERR(cose_verify(cbor, clen, ex[i].type, &key, "ItsBig", &r, sizeof(cose_scratch)),
                  IOTSEC_OK);
        CHECK(r.alg == IOTSEC_ALG_HSS_LMS && r.signer == 0 && r.key == 0);
        CHECK_MEM(r.payload.ptr, r.payload.len, content, sizeof(content) - 1);
        /* no kid in the key set entry: any kid */
        CHECK_ERR(cose_verify(cbor, clen, ex[i].type, &key, NULL, &r, sizeof(cose_scratch)),
                  IOTSEC_OK);
        /* another kid: no candidate */
        CHECK_ERR(cose_verify(cbor, clen, ex[i].type, &key, "other", &r, sizeof(cose_scratch)),
                  IOTSEC_ERR_NOT_FOUND);
        /* the Sig_structure goes through the scratch buffer, like EdDSA */
        CHECK_ERR(cose_verify(cbor, clen, ex[i].type, &key, NULL, &r, 16),
                  IOTSEC_ERR_BUFFER_TOO_SMALL);
        /* a key bound to another algorithm is no candidate */
        key.alg = IOTSEC_ALG_ES256;
        CHECK_ERR(cose_verify(cbor, clen, ex[i].type, &key, NULL, &r, sizeof(cose_scratch)),
                  IOTSEC_ERR_NOT_FOUND);
        key.alg = IOTSEC_ALG_HSS_LMS;
        CHECK_ERR(cose_verify(cbor, clen, ex[i].type, &key, NULL, &r, sizeof(cose_scratch)),
                  IOTSEC_OK);
        /* the RFC 8554 key: a candidate that does not verify */
        iotsec_key_init_hsslms(&wrong, pub1, sizeof(pub1));
        CHECK_ERR(cose_verify(cbor, clen, ex[i].type, &wrong, NULL, &r, sizeof(cose_scratch)),
                  IOTSEC_ERR_VERIFY_FAILED);

        /* a flipped bit: last byte of the signature, inside the signature,
         * in the payload */
        cbor[clen - 1] ^= 0x01;
        CHECK_ERR(cose_verify(cbor, clen, ex[i].type, &key, NULL, &r, sizeof(cose_scratch)),
                  IOTSEC_ERR_VERIFY_FAILED);
        cbor[clen - 1] ^= 0x01;
        cbor[clen - 1000] ^= 0x10;
        CHECK_ERR(cose_verify(cbor, clen, ex[i].type, &key, NULL, &r, sizeof(cose_scratch)),
                  IOTSEC_ERR_VERIFY_FAILED);
        cbor[clen - 1000] ^= 0x10;
        {
            uint8_t *p = NULL;
            size_t k;
            for (k = 0; k + 20 <= clen; k++)
                if (memcmp(cbor + k, content, 20) == 0) {
                    p = cbor + k;
                    break;
                }
            CHECK(p != NULL);
            if (p != NULL) {
                p[0] ^= 0x20; /* "this is ..." */
                CHECK_ERR(cose_verify(cbor, clen, ex[i].type, &key, NULL, &r,
                                      sizeof(cose_scratch)),
                          IOTSEC_ERR_VERIFY_FAILED);
                p[0] ^= 0x20;
            }
        }
        CHECK_ERR(cose_verify(cbor, clen, ex[i].type, &key, NULL, &r, sizeof(cose_scratch)),
                  IOTSEC_OK);
    }
}

/* COSE_Key {1: 5, 2: kid, 3: -46, -1: pub} both ways. */
static void test_cose_key(void)
{
    static uint8_t buf[256], want[256];
    struct iotsec_cbor_enc e;
    struct iotsec_cbor_dec d;
    struct iotsec_cbuf out, kid;
    struct iotsec_key key, dec;
    size_t wl = 0;
    enum iotsec_err err;

    /* A4 01 05 02 46 "ItsBig" 03 38 2D 20 58 3C pub */
    memcpy(want, "\xa4\x01\x05\x02\x46ItsBig\x03\x38\x2d\x20\x58\x3c", 17);
    wl = 17;
    memcpy(want + wl, pub2, sizeof(pub2));
    wl += sizeof(pub2);

    iotsec_key_init_hsslms(&key, pub2, sizeof(pub2));
    key.alg = IOTSEC_ALG_HSS_LMS;
    iotsec_cbor_enc_init(&e, buf, sizeof(buf));
    iotsec_cose_key_encode(&e, &key, true, (const uint8_t *)"ItsBig", 6);
    CHECK_ERR(iotsec_cbor_enc_finish(&e, &out), IOTSEC_OK);
    CHECK_MEM(out.ptr, out.len, want, wl);
    /* without kid and alg: {1: 5, -1: pub}; with_private changes nothing */
    key.alg = 0;
    iotsec_cbor_enc_init(&e, buf, sizeof(buf));
    iotsec_cose_key_encode(&e, &key, false, NULL, 0);
    CHECK_ERR(iotsec_cbor_enc_finish(&e, &out), IOTSEC_OK);
    CHECK(out.len == 6 + sizeof(pub2) && memcmp(out.ptr, "\xa2\x01\x05\x20\x58\x3c", 6) == 0);

    /* decode */
    CHECK_ERR(iotsec_cbor_dec_init(&d, want, wl, 0, NULL), IOTSEC_OK);
    err = iotsec_cose_key_decode(&d, &dec, &kid);
    CHECK_ERR(err, IOTSEC_OK);
    if (err == IOTSEC_OK) {
        CHECK(dec.kty == IOTSEC_KTY_HSS_LMS && dec.alg == IOTSEC_ALG_HSS_LMS &&
              dec.has_private == 0 && dec.handle == NULL);
        CHECK_MEM(dec.k, dec.k_len, pub2, sizeof(pub2));
        CHECK(dec.k == want + 17); /* borrowed from the input */
        CHECK_MEM(kid.ptr, kid.len, "ItsBig", 6);
        both("Test Case 2 with a key from COSE_Key", dec.k, dec.k_len, msg2, msg2_len, sig2,
             sizeof(sig2), IOTSEC_OK);
        CHECK_ERR(iotsec_crypto_verify(IOTSEC_ALG_HSS_LMS, &dec, msg2, msg2_len, sig2,
                                       sizeof(sig2)),
                  IOTSEC_OK);
        iotsec_key_free(&dec);
    }

    /* malformed COSE_Keys */
    {
        static const struct {
            const char *hex;
            enum iotsec_err want;
            const char *what;
        } bad[] = {
            {"a10105", IOTSEC_ERR_MALFORMED, "no pub"},
            {"a2010520613a", IOTSEC_ERR_CBOR_TYPE, "pub as text"},
            {"a201052001", IOTSEC_ERR_CBOR_TYPE, "pub as int"},
            {"a201052040", IOTSEC_ERR_KEY_INVALID, "empty pub"},
            {"a30105204100214100", IOTSEC_ERR_MALFORMED, "x (-2) present"},
            {"a30105204100234100", IOTSEC_ERR_MALFORMED, "d (-4) present"},
        };
        size_t i;
        for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            uint8_t b[32];
            size_t bl = test_unhex(bad[i].hex, b, sizeof(b));
            CHECK_ERR(iotsec_cbor_dec_init(&d, b, bl, 0, NULL), IOTSEC_OK);
            err = iotsec_cose_key_decode(&d, &dec, NULL);
            CHECK_MSG(err == bad[i].want, "COSE_Key %s: %d (%s), want %d", bad[i].what, (int)err,
                      iotsec_err_str(err), (int)bad[i].want);
        }
    }
}

int main(void)
{
    load_vectors();
    test_kat();
    test_negative();
    test_seam();
    test_generated();
    test_cose_examples();
    test_cose_key();
    return test_summary();
}
