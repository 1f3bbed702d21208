/* Tests for the JSON writers in gql/json.h: string escaping, number text
 * (a table of doubles and the text Node's String(x) gives for each,
 * generated once with Node 20), compact and indented values. */
#include <math.h>

#include "core/error.h"
#include "gql/json.h"
#include "test.h"

#define CHECK_BUF(b, cstr)                             \
    do {                                               \
        facet_str_t s_ = facet_str((b).base, (b).len); \
        CHECK_SLICE(s_, cstr);                         \
    } while (0)

typedef struct number_case {
    uint64_t bits;
    const char *text;
} number_case_t;

/* Integers, powers of ten and two, subnormals, the extremes, short
 * decimals and random bit patterns, with String(x) from Node. */
static const number_case_t NUMBERS[] = {
    {0x3fd3333333333334ULL, "0.30000000000000004"},
    {0x444b1ae4d6e2ef50ULL, "1e+21"},
    {0x4415af1d78b58c40ULL, "100000000000000000000"},
    {0x444b1ae4d6e2ef4fULL, "999999999999999900000"},
    {0x441ac53a7e04bcdaULL, "123456789012345680000"},
    {0x0000000000000001ULL, "5e-324"},
    {0x7fefffffffffffffULL, "1.7976931348623157e+308"},
    {0xffefffffffffffffULL, "-1.7976931348623157e+308"},
    {0x0010000000000000ULL, "2.2250738585072014e-308"},
    {0x000fffffffffffffULL, "2.225073858507201e-308"},
    {0x3e7ad7f29abcaf48ULL, "1e-7"},
    {0x3e8421f5f40d8376ULL, "1.5e-7"},
    {0x3eb0c6f7a0b5ed8dULL, "0.000001"},
    {0x3eb4b3fd5942cd96ULL, "0.000001234"},
    {0x3fb999999999999aULL, "0.1"},
    {0x3fc999999999999aULL, "0.2"},
    {0x3fd3333333333333ULL, "0.3"},
    {0x3fd5555555555555ULL, "0.3333333333333333"},
    {0x3fe5555555555555ULL, "0.6666666666666666"},
    {0x400921fb54442d18ULL, "3.141592653589793"},
    {0x4005bf0a8b145769ULL, "2.718281828459045"},
    {0xbff8000000000000ULL, "-1.5"},
    {0x4011666666666666ULL, "4.35"},
    {0x4059000000000000ULL, "100"},
    {0x54b249ad2594c37dULL, "1e+100"},
    {0x4340000000000000ULL, "9007199254740992"},
    {0x4340000000000001ULL, "9007199254740994"},
    {0x43b0000000000000ULL, "1152921504606847000"},
    {0x43e0000000000000ULL, "9223372036854776000"},
    {0x43f0000000000000ULL, "18446744073709552000"},
    {0xc3e0000000000000ULL, "-9223372036854776000"},
    {0x4340000000000000ULL, "9007199254740992"},
    {0x430c6bf526340000ULL, "1000000000000000"},
    {0x4341c37937e08000ULL, "10000000000000000"},
    {0x4376345785d8a000ULL, "100000000000000000"},
    {0x3c36b082c2148b8eULL, "1.23e-18"},
    {0x3ee9cb8320b15070ULL, "0.0000123"},
    {0x41678c29dccccccdULL, "12345678.9"},
    {0x3fe0000000000000ULL, "0.5"},
    {0x4450f0cf064dd592ULL, "1.25e+21"},
    {0x0000000000000001ULL, "5e-324"},
    {0x0000000000000002ULL, "1e-323"},
    {0x447c7e83209e90b2ULL, "8.41e+21"},
    {0x3ea0c6f7a0b5ed8dULL, "5e-7"},
    {0x444b1ae4d6e2ef4fULL, "999999999999999900000"},
    {0x433fffffffffffffULL, "9007199254740991"},
    {0x3cb0000000000000ULL, "2.220446049250313e-16"},
    {0x7fe1ccf385ebc8a0ULL, "1e+308"},
    {0x000730d67819e8d2ULL, "1e-308"},
    {0x0000000000000003ULL, "1.5e-323"},
    {0x3ff199999999999aULL, "1.1"},
    {0x4005666666666666ULL, "2.675"},
    {0x3ff0147ae147ae14ULL, "1.005"},
    {0x3eb0c6f7a0b5ed8dULL, "0.000001"},
    {0x3e7ad7f29abcaf48ULL, "1e-7"},
    {0x3abef2d0f5da7dd9ULL, "1e-25"},
    {0xbaeb1476d71f2e1eULL, "-7e-25"},
    {0x3b5e392010175ee6ULL, "1e-22"},
    {0xbb8a71fc0e147309ULL, "-7e-22"},
    {0x3bfd83c94fb6d2acULL, "1e-19"},
    {0xbc29d35025bff856ULL, "-6.999999999999999e-19"},
    {0x3c9cd2b297d889bcULL, "1e-16"},
    {0xbcc9385c44dd7884ULL, "-6.999999999999999e-16"},
    {0x3d3c25c268497682ULL, "1e-13"},
    {0xbd68a10a1b4047b2ULL, "-7e-13"},
    {0x3ddb7cdfd9d7bdbbULL, "1e-10"},
    {0xbe080d43de9cc604ULL, "-7.000000000000001e-10"},
    {0x3e7ad7f29abcaf48ULL, "1e-7"},
    {0xbea77cf44765195fULL, "-7e-7"},
    {0x3f1a36e2eb1c432cULL, "0.00009999999999999999"},
    {0xbf46f0068db8bac6ULL, "-0.0006999999999999999"},
    {0x3fb999999999999aULL, "0.1"},
    {0xbfe6666666666667ULL, "-0.7000000000000001"},
    {0x4059000000000000ULL, "100"},
    {0xc085e00000000000ULL, "-700"},
    {0x40f86a0000000000ULL, "100000"},
    {0xc1255cc000000000ULL, "-700000"},
    {0x4197d78400000000ULL, "100000000"},
    {0xc1c4dc9380000000ULL, "-700000000"},
    {0x42374876e8000000ULL, "100000000000"},
    {0xc2645f680b000000ULL, "-700000000000"},
    {0x42d6bcc41e900000ULL, "100000000000000"},
    {0xc303e52b9abe0000ULL, "-700000000000000"},
    {0x4376345785d8a000ULL, "100000000000000000"},
    {0xc3a36dcc951d8c00ULL, "-700000000000000000"},
    {0x4415af1d78b58c40ULL, "100000000000000000000"},
    {0xc442f939c99edab8ULL, "-700000000000000000000"},
    {0x44b52d02c7e14af6ULL, "1e+23"},
    {0xc4e287626ee52197ULL, "-6.999999999999999e+23"},
    {0x0000000000000001ULL, "5e-324"},
    {0x0100000000000000ULL, "7.291122019556398e-304"},
    {0x0530000000000000ULL, "1.0759796952395615e-283"},
    {0x0960000000000000ULL, "1.5878657653273753e-263"},
    {0x0d90000000000000ULL, "2.3432762717119234e-243"},
    {0x11c0000000000000ULL, "3.458065414261291e-223"},
    {0x15f0000000000000ULL, "5.103203814961955e-203"},
    {0x1a20000000000000ULL, "7.530999578446513e-183"},
    {0x1e50000000000000ULL, "1.1113793747425387e-162"},
    {0x2280000000000000ULL, "1.6401064715739963e-142"},
    {0x26b0000000000000ULL, "2.420369946780824e-122"},
    {0x2ae0000000000000ULL, "3.5718355977571093e-102"},
    {0x2f10000000000000ULL, "5.271098971615262e-82"},
    {0x3340000000000000ULL, "7.778769097326427e-62"},
    {0x3770000000000000ULL, "1.1479437019748901e-41"},
    {0x3ba0000000000000ULL, "1.6940658945086007e-21"},
    {0x3fd0000000000000ULL, "0.25"},
    {0x4400000000000000ULL, "36893488147419103000"},
    {0x4830000000000000ULL, "5.444517870735016e+39"},
    {0x4c60000000000000ULL, "8.034690221294951e+59"},
    {0x5090000000000000ULL, "1.1857109937901178e+80"},
    {0x54c0000000000000ULL, "1.7498005798264095e+100"},
    {0x58f0000000000000ULL, "2.5822498780869086e+120"},
    {0x5d20000000000000ULL, "3.8107282108349515e+140"},
    {0x6150000000000000ULL, "5.623642243178996e+160"},
    {0x6580000000000000ULL, "8.299031137761986e+180"},
    {0x69b0000000000000ULL, "1.2247208276643356e+201"},
    {0x6de0000000000000ULL, "1.8073689335732592e+221"},
    {0x7210000000000000ULL, "2.667205773151942e+241"},
    {0x7640000000000000ULL, "3.936100983140359e+261"},
    {0x7a70000000000000ULL, "5.80865979874134e+281"},
    {0x7ea0000000000000ULL, "8.572068857490139e+301"},
    {0x000dc1b77ae0bf34ULL, "1.913105421847578e-308"},
    {0x00064f0eeb9026e6ULL, "8.773496003510878e-309"},
    {0x0007b07ce91e5906ULL, "1.0693435152630756e-308"},
    {0x000305f050c368dcULL, "4.204274515232367e-309"},
    {0x0002ceb16e0a1c54ULL, "3.90416307723186e-309"},
    {0x00097101dce4e7bfULL, "1.312993092649011e-308"},
    {0x0009ad2e144d6e8fULL, "1.3456807750950495e-308"},
    {0x000d9aa792e1af47ULL, "1.8918856629053954e-308"},
    {0x000ddaa4e85b0d6eULL, "1.9266467844558903e-308"},
    {0x0008f8ea9d349428ULL, "1.2477560481281724e-308"},
    {0x00008f474ffb8e8aULL, "7.7833346596633e-310"},
    {0x0002ead854756d71ULL, "4.057093193482966e-309"},
    {0x00055bc79f8ada71ULL, "7.451931943464953e-309"},
    {0x0000e1fc49bd63b8ULL, "1.22762311731545e-309"},
    {0x000b92199e83f5a1ULL, "1.609104356243598e-308"},
    {0x000c5765079fc5d4ULL, "1.7162808689082856e-308"},
    {0x000353cfc387dfaeULL, "4.627303889287094e-309"},
    {0x000a32edabf5585bULL, "1.4183370460647425e-308"},
    {0x000fc5639b16b714ULL, "2.1932345972014023e-308"},
    {0x00092fb2dcfc8ae9ULL, "1.277515445785219e-308"},
    {0x000544b0ec76d006ULL, "7.326507148337467e-309"},
    {0x000bcbb9b7e9a319ULL, "1.6404082486702973e-308"},
    {0x0000f1a50d59c0aaULL, "1.312688922886084e-309"},
    {0x00080ae212082657ULL, "1.118448958993941e-308"},
    {0x0000e1ecd02ed7c0ULL, "1.22729474204574e-309"},
    {0x0000d0981e8c1fa7ULL, "1.13314828446003e-309"},
    {0x000dc86b3d3cdbdfULL, "1.9167462556865206e-308"},
    {0x0006d0844c269e76ULL, "9.476754634798747e-309"},
    {0x0003681da7f69930ULL, "4.7376029454202e-309"},
    {0x0005b928e2c987d8ULL, "7.959200611250415e-309"},
    {0x0006c716e1e6ced8ULL, "9.425542069312513e-309"},
    {0x000ccb870213498fULL, "1.779367757779663e-308"},
    {0x0009f07b27a78869ULL, "1.382240800986853e-308"},
    {0x000b0ba91e47f620ULL, "1.5360726861611592e-308"},
    {0x000c72b4c36d0db7ULL, "1.7311172981813417e-308"},
    {0x00035f305b0c0fc9ULL, "4.68910896598079e-309"},
    {0x0007ac78fb373ffbULL, "1.067162253599102e-308"},
    {0x0008e39b81de71b7ULL, "1.2361803344952556e-308"},
    {0x00059a69ba126cd2ULL, "7.79217494763721e-309"},
    {0x000bfcbffff0cbcbULL, "1.6670398928900285e-308"},
    {0x43a68e71442b6907ULL, "812680526563673000"},
    {0x41095c8800000000ULL, "207761"},
    {0x4289911d565f3000ULL, "3513881644006"},
    {0x408bc00000000000ULL, "888"},
    {0x4118d9d000000000ULL, "407156"},
    {0x4245e3ac8b878000ULL, "188028098319"},
    {0x42ce766c7d270500ULL, "66987950231050"},
    {0x4187013af0000000ULL, "48244574"},
    {0x4051000000000000ULL, "68"},
    {0x4387fa04e76214dbULL, "215962349859937120"},
    {0x434e0522d6b680baULL, "16899792981262708"},
    {0x439209785bb41d79ULL, "324925575683071550"},
    {0x419b1e6160000000ULL, "113743960"},
    {0x43c50ec52f1e7888ULL, "3034733861271572500"},
    {0x4303254aa29f5d00ULL, "673628380457888"},
    {0x4145c0d580000000ULL, "2851243"},
    {0x422506ef27d20000ULL, "45155324905"},
    {0x41a3728754000000ULL, "163136426"},
    {0x42f6166c76ad4580ULL, "388569036936280"},
    {0x40c0b98000000000ULL, "8563"},
    {0x40ad300000000000ULL, "3736"},
    {0x418f1fa000000000ULL, "65270784"},
    {0x4083e80000000000ULL, "637"},
    {0x43a61b071a9e8acbULL, "796437352058021200"},
    {0x3ff0000000000000ULL, "1"},
    {0x43235be0e794fc48ULL, "2724523036802596"},
    {0x424f1b5fe9568000ULL, "267206513325"},
    {0x40cc368000000000ULL, "14445"},
    {0x0000000000000000ULL, "0"},
    {0x410ec29800000000ULL, "251987"},
    {0x43407db970f61ec6ULL, "9283670089940364"},
    {0x4290ba1feabaec00ULL, "4597896359611"},
    {0x40f2768000000000ULL, "75624"},
    {0x424d6eb56cc38000ULL, "252822870407"},
    {0x41327cfe00000000ULL, "1211646"},
    {0x41cf820a6d000000ULL, "1057232090"},
    {0x43364bbc096a6cb0ULL, "6275720471538864"},
    {0x4000000000000000ULL, "2"},
    {0x41e640cfd5e00000ULL, "2986770095"},
    {0x4047000000000000ULL, "46"},
    {0x3f37db130ba07226ULL, "0.00036401"},
    {0x3ed76be1b85ccc60ULL, "0.0000055841"},
    {0x3fab2fa93af74cd3ULL, "0.053098"},
    {0x3dbd2ea09a75d7dfULL, "2.6541e-11"},
    {0x40469b851eb851ecULL, "45.215"},
    {0x3c58cc0a8873ccc2ULL, "5.377e-18"},
    {0x4044cfbe76c8b439ULL, "41.623"},
    {0x3c2ec04785128769ULL, "8.335100000000001e-19"},
    {0x3d25da436c4399f2ULL, "3.8818e-14"},
    {0x3d3663887869f79cULL, "7.9541e-14"},
    {0x3bf88ce731defbf0ULL, "8.318000000000001e-20"},
    {0x40bfb20000000000ULL, "8114"},
    {0x408dacb851eb851fULL, "949.59"},
    {0x4051beb851eb851fULL, "70.98"},
    {0x3e713fb5194185adULL, "6.4257e-8"},
    {0x3e718ebc1cd3d1eeULL, "6.5407e-8"},
    {0x3e3dae8144e0978bULL, "6.9108e-9"},
    {0x4017f5a858793dd9ULL, "5.9899"},
    {0x3cf6e043c8cbb85bULL, "5.0795e-15"},
    {0x3f4b2a935180fc14ULL, "0.00082905"},
    {0x3df392c848283c2dULL, "2.8483e-10"},
    {0x3d2e0afec82ebf72ULL, "5.3367e-14"},
    {0x3cbcd197404bf2e1ULL, "3.9994e-16"},
    {0x3d20ee8d71691931ULL, "3.0077e-14"},
    {0x3e085dbfd67ef812ULL, "7.0915e-10"},
    {0x3fa1c5e6ff7dfa01ULL, "0.034713"},
    {0x3dc50fef4579d9d6ULL, "3.8312e-11"},
    {0x3db0b1ea8203e488ULL, "1.5184e-11"},
    {0x4007ad77318fc505ULL, "2.9597"},
    {0x3fb76ad70e6f2e8cULL, "0.091474"},
    {0x3fb3785729b280f1ULL, "0.076055"},
    {0x3de41efdf88c83b7ULL, "1.464e-10"},
    {0x3fd0fca42aed1394ULL, "0.26542"},
    {0x3d0b39fca927af11ULL, "1.2091e-14"},
    {0x3fb4ebdd334c5da7ULL, "0.081724"},
    {0x40a46b0000000000ULL, "2613.5"},
    {0x3db8582330893781ULL, "2.2141e-11"},
    {0x3c4a0d297d1ec512ULL, "2.8245e-18"},
    {0x40f4adc000000000ULL, "84700"},
    {0x3bfa41daaedc1a9eULL, "8.8963e-20"},
    {0x16ba1d39f25cae7dULL, "3.4116072635664438e-199"},
    {0x67de1f8cd39e2861ULL, "2.1474297741370636e+192"},
    {0x108e0b8ab05d2c71ULL, "6.192795587813568e-229"},
    {0x96288ccb432aaa69ULL, "-6.264176696201658e-202"},
    {0x887013f1c0b1457dULL, "-4.86937695727198e-268"},
    {0xe47a782d96a0d8b7ULL, "-1.0474717780590377e+176"},
    {0xc0f1c836d72154c6ULL, "-72835.42752202143"},
    {0x01ea4c72979ce7efULL, "1.9634838852369833e-299"},
    {0xe58cc45382b7c5e0ULL, "-1.4921087049120546e+181"},
    {0x0f265892d429d26bULL, "1.098128118575969e-235"},
    {0x119be96337a67b0fULL, "7.540654791281066e-224"},
    {0xad7f4ee4ff441439ULL, "-1.5369479028680968e-89"},
    {0x69765cdf019ab251ULL, "1.069849989958128e+200"},
    {0x6c83796be9953375ULL, "5.244798957954977e+214"},
    {0xb30aa29935c26453ULL, "-8.093307970654829e-63"},
    {0x88c5405c130c945bULL, "-2.0595934067202045e-266"},
    {0x9ffcaab00de2fbb3ULL, "-1.3362898797649858e-154"},
    {0xf60b6a392f39b284ULL, "-4.215154408802224e+260"},
    {0x34f99df66499e0e1ULL, "1.6715899149649308e-53"},
    {0xb8c6fbae04f4cb60ULL, "-3.458116161801038e-35"},
    {0xddf1a401094ffaf6ULL, "-3.4418528054556186e+144"},
    {0x24e629d896fb1883ULL, "6.244957363033692e-131"},
    {0xe2fd7570a6e4ae72ULL, "-6.948513516814706e+168"},
    {0xc21511f61c10bbaeULL, "-22623913732.18328"},
    {0x6b4a433781c1b159ULL, "6.745344960809089e+208"},
    {0xf7b9bb632073447bULL, "-5.3101816399799955e+268"},
    {0x28f350082a0bdc33ULL, "2.007626461224594e-111"},
    {0x21b037be8db8a74bULL, "2.0293303658808273e-146"},
    {0xf4827d0343e964c5ULL, "-1.6943537191920942e+253"},
    {0x18fd760add37274cULL, "2.6449150601891564e-188"},
    {0x1cbe96ad55a91a02ULL, "3.1660794797916675e-170"},
    {0x1b376669576888b6ULL, "1.443641164988039e-177"},
    {0x862f25f826bcb427ULL, "-6.863863281173272e-279"},
    {0x608edfdda646248fULL, "1.324668934962616e+157"},
    {0xb98511e79e1e6b06ULL, "-1.2985353359528908e-31"},
    {0x384ea650b7785650ULL, "1.801425646361179e-37"},
    {0x9ee03c4ca73132fcULL, "-5.774031821847077e-160"},
    {0x6facd3230b5e6f99ULL, "8.740420174212429e+229"},
    {0xb27b8d6c7d2c1506ULL, "-1.6351626804149013e-65"},
    {0x9fc9762bf52bccacULL, "-1.4836042955288556e-155"},
    {0x915133d1f1cd3035ULL, "-2.904643624130628e-225"},
    {0x01a2553b894e0715ULL, "8.55473282230542e-301"},
    {0x1727f4259189fe5bULL, "4.005580121434914e-197"},
    {0xe9410ea4b1d01b67ULL, "-1.020034607560592e+199"},
    {0xae5bac1c8afb8291ULL, "-2.2257001888640823e-85"},
    {0xc01d77809ef4f1d4ULL, "-7.366701587391123"},
    {0x131dc70966a1ed37ULL, "1.3496811336203614e-216"},
    {0x8ebed168e7eb032dULL, "-1.1831722723762523e-237"},
    {0x8027b30dd057be6bULL, "-6.591622639274444e-308"},
    {0x7c80d6befe7bebd7ULL, "5.251196760198493e+291"},
    {0x285d676d738709c0ULL, "2.9850270767861166e-114"},
    {0xd4a6fbbb463c77d3ULL, "-6.283787146640815e+99"},
    {0x6b7252f506af9bfcULL, "3.76511719197651e+209"},
    {0x76e7c3b3c3adbbcbULL, "5.986516557134494e+264"},
    {0xbeef68cb1cc5727cULL, "-0.000014977144836941481"},
    {0x9ddbcc9adadfe798ULL, "-7.542846590581299e-165"},
    {0xe85d4e2fd8cebe57ULL, "-5.3481691003979895e+194"},
    {0x49a34268cecc56ebULL, "5.497590193813714e+46"},
    {0x2fa1ca340f951486ULL, "3.000707082751453e-79"},
    {0x1c68c5ee9e01df2fULL, "8.012980891056525e-172"},
    {0x7cd94d5d160df751ULL, "2.5249576968497247e+293"},
    {0x415f292fa04818ffULL, "8168638.504400491"},
    {0xf40bf4be400d570eULL, "-1.0007874993533206e+251"},
    {0x82042eb409794e20ULL, "-6.027370236351834e-299"},
    {0x1255273c7f8434bcULL, "2.3407801788530437e-220"},
    {0x2ce50c5e474b93d5ULL, "2.0181277076171575e-92"},
    {0xbe08af88f83f51b2ULL, "-7.184479543359204e-10"},
    {0x2d725bb40b0f0391ULL, "9.012219815681637e-90"},
    {0xc0085237f307d9d6ULL, "-3.0401457773943816"},
    {0xa9c57d5561e763e5ULL, "-1.8300357200434082e-107"},
    {0x1bf5b3cab644f462ULL, "5.484139778266072e-174"},
    {0x5547a5fa668d250aULL, "6.620784023388953e+102"},
    {0x914833a9ee283dc0ULL, "-2.0432482406064233e-225"},
    {0x7ef314f60b351dbbULL, "3.27142367096342e+303"},
    {0x00221d9d7b537940ULL, "5.038591926334749e-308"},
    {0x60336535e5378fb2ULL, "2.600491761804936e+155"},
    {0xe8cc97f0aab24c2dULL, "-6.679358410377362e+196"},
    {0xb581ba40a91b83f5ULL, "-5.922695967925887e-51"},
    {0xfbb60192cdb3e9b2ULL, "-8.377218977198061e+287"},
    {0x9adaa35dbc26a2e1ULL, "-2.5678321808765053e-179"},
    {0x22cdc3a4356277e4ULL, "4.881649701615915e-141"},
    {0xf488e151ff7fca0bULL, "-2.280129402960264e+253"},
    {0xdf756f66d48cd75fULL, "-7.016566063885543e+151"},
    {0x7f45c76b5299f931ULL, "1.1948219385408311e+305"},
    {0x3ee3c6ab5062a683ULL, "0.000009429956218848283"},
    {0xc54654890ca7a30eULL, "-5.399114986379544e+25"},
    {0xb8275d981ca7efc8ULL, "-3.43326668751501e-38"},
    {0xbe5287885cb25217ULL, "-1.7256871303970305e-8"},
    {0x79729ebc8c3b5373ULL, "1.0314714448346568e+277"},
    {0xa0bb6616a3b39915ULL, "-5.231346146989085e-151"},
    {0x4fe9636427fe1b67ULL, "9.186744261462331e+76"},
    {0xbbeb4ae36e79de91ULL, "-4.6235349042064457e-20"},
    {0x41d653635fd8a96cULL, "1498254719.3853407"},
    {0x137fb828fc1cc33eULL, "9.201269076608807e-215"},
    {0x407a3783d8c3f538ULL, "419.46968914552735"},
    {0xb6827a52e88c3cd2ULL, "-4.045773658468768e-46"},
    {0x9620649d499e502bULL, "-4.182847390501118e-202"},
    {0xcfed170dd20a064bULL, "-1.0526244381401319e+77"},
    {0x05faa3dbcae8e087ULL, "7.338029340244412e-280"},
    {0xe3456f983a59f086ULL, "-1.617966873078957e+170"},
    {0x462e4081e78fa2e7ULL, "1.1984044805017534e+30"},
    {0x8e33e7613b30e462ULL, "-2.9849706507009475e-240"},
    {0x0c342c6093a7dd2aULL, "7.044036567231477e-250"},
    {0x147bcfcd70f29810ULL, "5.287264256000436e-210"},
    {0xa7786e7e77f77920ULL, "-1.5138189353600061e-118"},
    {0x3461fc042646dfd2ULL, "2.2920690566792716e-56"},
    {0x7f8c72b2a99de6edULL, "2.4971115149058146e+306"},
    {0xd7a5bd1b9baac660ULL, "-1.6729462719308328e+114"},
    {0xe722fe3209380becULL, "-6.611191638219227e+188"},
    {0x554332c123a300fbULL, "5.37490011647211e+102"},
    {0x724d72ee194f183aULL, "3.9273198859217023e+242"},
    {0xfce07bdde4a8c88aULL, "-3.289914141038722e+293"},
    {0x13f028439b74fb9bULL, "1.199862179421384e-212"},
    {0x41e31784775794acULL, "2562466746.7368984"},
    {0x5fed0fcf79c39085ULL, "1.2176702828593951e+154"},
    {0x6d8502bfc80c96e4ULL, "3.7084137376521155e+219"},
    {0x70db12824bf7b6c9ULL, "4.3038962269505593e+235"},
    {0x8838c5e2d39ccbe4ULL, "-4.689238841098948e-269"},
    {0xbcf946457e938b73ULL, "-5.6120659011024115e-15"},
    {0x8191c98000a810a5ULL, "-4.1500155236360685e-301"},
    {0xaddcdb75bb31c9c4ULL, "-9.066432764855255e-88"},
    {0x274842d113a35b57ULL, "1.879059262491734e-119"},
    {0xa7842014627a2821ULL, "-2.493987738833499e-118"},
    {0x61c683627952f431ULL, "1.0128504205874678e+163"},
    {0x8368f6e64ca97d99ULL, "-3.1270602502160887e-292"},
    {0x32945cb557986922ULL, "4.833752484941355e-65"},
    {0x5f255fb874e95170ULL, "2.18641096249842e+150"},
    {0x1e35dd72abdedfd2ULL, "3.796928824582299e-163"},
    {0xdae27a90cf1ed6edULL, "-6.404441427080342e+129"},
    {0x93f0e46413e8f000ULL, "-1.2544346808024838e-212"},
    {0xb3c8e1337c3321e0ULL, "-3.0965340499603544e-59"},
    {0x09e1b7d60d793fa3ULL, "4.50143683046821e-261"},
    {0xbe4ef12552e0451cULL, "-1.4408480266571558e-8"},
    {0x7f35de212ddb4296ULL, "5.998444056935152e+304"},
    {0xf5a2fa6852249193ULL, "-4.559322011621158e+258"},
    {0xf4231ce12176dc70ULL, "-2.7368496778234114e+251"},
    {0x1bec8ca43e9d2dc8ULL, "3.6071916608625575e-174"},
    {0x7dae1345bf346593ULL, "2.4586429291853966e+297"},
    {0xed6dc22866d10998ULL, "-1.3130971691950527e+219"},
    {0x6b5dd9b4387bcd8bULL, "1.5333710285319394e+209"},
    {0xc1c7e69446e938d0ULL, "-801974413.8220463"},
    {0xb444a2f44e72dea1ULL, "-6.575181091649925e-57"},
    {0x1e82dc770735b35cULL, "1.0480969455622343e-161"},
    {0x0c5700918c488f3aULL, "3.2127236365522586e-249"},
    {0x9b68e2538ddc90a4ULL, "-1.2281580878808662e-176"},
    {0x2bb34920cefd8085ULL, "3.5269220213870295e-98"},
    {0xbeaf7e7f7598fac4ULL, "-9.385982863775702e-7"},
    {0xf219b5c60677fa31ULL, "-4.2858750911479046e+241"},
    {0xaaede6659bc9b985ULL, "-6.6748650773279286e-102"},
    {0x39603cf742ccebb6ULL, "2.5018828229476747e-32"},
};

static double from_bits(uint64_t bits)
{
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

TEST(numbers_match_javascript)
{
    facet_buf_t b;
    facet_buf_init(&b, 0);
    for (size_t i = 0; i < sizeof NUMBERS / sizeof NUMBERS[0]; i++) {
        double d = from_bits(NUMBERS[i].bits);
        facet_buf_reset(&b);
        CHECK_EQ_INT(gql_json_write_number(&b, d), 0);
        CHECK_BUF(b, NUMBERS[i].text);
        /* The digits read back as the same double. */
        CHECK(strtod(NUMBERS[i].text, NULL) == d);
        char s[GQL_NUMBER_BUF_SIZE];
        CHECK_EQ_INT(gql_number_to_string(d, s), strlen(NUMBERS[i].text));
        CHECK_EQ_STR(s, NUMBERS[i].text);
    }
    facet_buf_free(&b);
}

TEST(number_special_values)
{
    char s[GQL_NUMBER_BUF_SIZE];
    gql_number_to_string(NAN, s);
    CHECK_EQ_STR(s, "NaN");
    gql_number_to_string(INFINITY, s);
    CHECK_EQ_STR(s, "Infinity");
    gql_number_to_string(-INFINITY, s);
    CHECK_EQ_STR(s, "-Infinity");
    gql_number_to_string(-0.0, s);
    CHECK_EQ_STR(s, "0");

    facet_buf_t b;
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(gql_json_write_number(&b, NAN), 0);
    CHECK_EQ_INT(gql_json_write_number(&b, INFINITY), 0);
    CHECK_EQ_INT(gql_json_write_number(&b, -INFINITY), 0);
    CHECK_EQ_INT(gql_json_write_number(&b, -0.0), 0);
    CHECK_BUF(b, "nullnullnull0");
    facet_buf_free(&b);
}

TEST(number_notation_boundaries)
{
    static const struct {
        double d;
        const char *text;
    } cases[] = {
        {1e21, "1e+21"},
        {1e20, "100000000000000000000"},
        {1.5e-7, "1.5e-7"},
        {1e-7, "1e-7"},
        {1e-6, "0.000001"},
        {1.5e-6, "0.0000015"},
        {123e-20, "1.23e-18"},
        {-1.5, "-1.5"},
        {0.1 + 0.2, "0.30000000000000004"},
        {5e-324, "5e-324"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
        {123456789012345680000.0, "123456789012345680000"},
        {-9007199254740991.0, "-9007199254740991"},
    };
    char s[GQL_NUMBER_BUF_SIZE];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gql_number_to_string(cases[i].d, s);
        CHECK_EQ_STR(s, cases[i].text);
    }
}

TEST(write_int)
{
    facet_buf_t b;
    facet_buf_init(&b, 0);
    gql_json_write_int(&b, INT64_MIN);
    gql_json_write_int(&b, 0);
    gql_json_write_int(&b, INT64_MAX);
    CHECK_BUF(b, "-922337203685477580809223372036854775807");
    facet_buf_free(&b);
}

/* Integral doubles below 2^53 are written digit by digit (no search). */
TEST(integral_numbers)
{
    static const struct {
        double d;
        const char *text;
    } cases[] = {
        {1, "1"},
        {-1, "-1"},
        {10, "10"},
        {-123, "-123"},
        {4294967296.0, "4294967296"},
        {9007199254740991.0, "9007199254740991"},
        {-9007199254740991.0, "-9007199254740991"},
        {9007199254740992.0, "9007199254740992"},
        {-0.0, "0"},
    };
    char s[GQL_NUMBER_BUF_SIZE];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK_EQ_INT(gql_number_to_string(cases[i].d, s), strlen(cases[i].text));
        CHECK_EQ_STR(s, cases[i].text);
    }
}

static void check_string(const char *in, size_t len, const char *expect)
{
    facet_buf_t b;
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(gql_json_write_string(&b, in, len), 0);
    CHECK_BUF(b, expect);
    facet_buf_free(&b);
}

#define STR(in, expect) check_string((in), sizeof(in) - 1, (expect))

TEST(string_escapes_match_json_stringify)
{
    /* Every ASCII byte, as JSON.stringify writes the string of them. */
    char all[128];
    for (int i = 0; i < 128; i++)
        all[i] = (char)i;
    check_string(all, sizeof all,
                 "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r"
                 "\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018"
                 "\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f !\\\"#$%&'()*+,-./0123456789:;<"
                 "=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\x7f\"");
    STR("", "\"\"");
    STR("</script>", "\"</script>\"");
    STR("\xE2\x80\xA8\xE2\x80\xA9", "\"\xE2\x80\xA8\xE2\x80\xA9\"");
    STR("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xEF\xBF\xBF",
        "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xEF\xBF\xBF\"");
}

TEST(invalid_utf8_is_written_as_replacement_characters)
{
    /* One U+FFFD per maximal invalid subpart, as Node's Buffer decodes. */
#define R "\xEF\xBF\xBD"
    STR("\xE2\x82"
        "A",
        "\"" R "A\"");
    STR("\xF0\x80\x80", "\"" R R R "\"");
    STR("\xED\xA0\x80", "\"" R R R "\"");
    STR("\xC0\xAF", "\"" R R "\"");
    STR("\xF4\x90", "\"" R R "\"");
    STR("\xF0\x9F\x98", "\"" R "\"");
    STR("\xFF\xFE", "\"" R R "\"");
    STR("\xE0\x80", "\"" R R "\"");
    STR("\xC3", "\"" R "\"");
    STR("a\xC3\"", "\"a" R "\\\"\"");
#undef R
}

TEST(string_write_respects_the_buffer_limit)
{
    facet_buf_t b;
    facet_buf_init(&b, 4);
    CHECK_EQ_INT(gql_json_write_string(&b, "abcdef", 6), FACET_ELIMIT);
    facet_buf_free(&b);
}

/* Builds {"a":[1,{"b":[],"c":{}},[[]]],"":null,"x\n":"y"} by hand. */
static gql_value_t *sample(facet_arena_t *a)
{
    gql_value_t *inner = gql_value_new_object(a, 2);
    inner->u.obj.members[0] = (gql_member_t){FACET_STR_LIT("b"), gql_value_new_list(a, 0)};
    inner->u.obj.members[1] = (gql_member_t){FACET_STR_LIT("c"), gql_value_new_object(a, 0)};
    gql_value_t *nested = gql_value_new_list(a, 1);
    nested->u.list.items[0] = gql_value_new_list(a, 0);
    gql_value_t *list = gql_value_new_list(a, 3);
    list->u.list.items[0] = gql_value_new_int(a, 1);
    list->u.list.items[1] = inner;
    list->u.list.items[2] = nested;
    gql_value_t *o = gql_value_new_object(a, 3);
    o->u.obj.members[0] = (gql_member_t){FACET_STR_LIT("a"), list};
    o->u.obj.members[1] = (gql_member_t){FACET_STR_LIT(""), NULL};
    o->u.obj.members[2] =
        (gql_member_t){FACET_STR_LIT("x\n"), gql_value_new_string(a, FACET_STR_LIT("y"))};
    return o;
}

TEST(write_value_compact)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    facet_buf_t b;
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(gql_json_write_value(&b, sample(&a)), 0);
    CHECK_BUF(b, "{\"a\":[1,{\"b\":[],\"c\":{}},[[]]],\"\":null,\"x\\n\":\"y\"}");

    gql_value_t *l = gql_value_new_list(&a, 8);
    l->u.list.items[0] = gql_value_new_int(&a, INT64_MIN);
    l->u.list.items[1] = gql_value_new_float(&a, 2.5);
    l->u.list.items[2] = gql_value_new_float(&a, NAN);
    l->u.list.items[3] = gql_value_new_float(&a, -0.0);
    l->u.list.items[4] = gql_value_new_bool(&a, true);
    l->u.list.items[5] = gql_value_new_bool(&a, false);
    l->u.list.items[6] = (gql_value_t *)&gql_value_null;
    facet_buf_reset(&b);
    CHECK_EQ_INT(gql_json_write_value(&b, l), 0);
    CHECK_BUF(b, "[-9223372036854775808,2.5,null,0,true,false,null,null]");

    facet_buf_reset(&b);
    CHECK_EQ_INT(gql_json_write_value(&b, NULL), 0);
    CHECK_BUF(b, "null");
    facet_buf_free(&b);
    facet_arena_free(&a);
}

TEST(write_value_keeps_member_order_and_repeats)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_value_t *o = gql_value_new_object(&a, 3);
    o->u.obj.members[0] = (gql_member_t){FACET_STR_LIT("z"), gql_value_new_int(&a, 1)};
    o->u.obj.members[1] = (gql_member_t){FACET_STR_LIT("1"), gql_value_new_int(&a, 2)};
    o->u.obj.members[2] = (gql_member_t){FACET_STR_LIT("z"), gql_value_new_int(&a, 3)};
    facet_buf_t b;
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(gql_json_write_value(&b, o), 0);
    CHECK_BUF(b, "{\"z\":1,\"1\":2,\"z\":3}");
    facet_buf_free(&b);
    facet_arena_free(&a);
}

TEST(write_pretty_matches_json_stringify)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    facet_buf_t b;
    facet_buf_init(&b, 0);
    CHECK_EQ_INT(gql_json_write_pretty(&b, sample(&a), 2), 0);
    CHECK_BUF(b, "{\n"
                 "  \"a\": [\n"
                 "    1,\n"
                 "    {\n"
                 "      \"b\": [],\n"
                 "      \"c\": {}\n"
                 "    },\n"
                 "    [\n"
                 "      []\n"
                 "    ]\n"
                 "  ],\n"
                 "  \"\": null,\n"
                 "  \"x\\n\": \"y\"\n"
                 "}");

    gql_value_t *l = gql_value_new_list(&a, 2);
    l->u.list.items[0] = gql_value_new_int(&a, 1);
    l->u.list.items[1] = gql_value_new_list(&a, 1);
    l->u.list.items[1]->u.list.items[0] = gql_value_new_int(&a, 2);
    /* JSON.stringify clamps the indent to 10; 0 or less is compact. */
    facet_buf_reset(&b);
    CHECK_EQ_INT(gql_json_write_pretty(&b, l, 12), 0);
    CHECK_BUF(b, "[\n          1,\n          [\n                    2\n          ]\n]");
    facet_buf_reset(&b);
    CHECK_EQ_INT(gql_json_write_pretty(&b, l, 0), 0);
    CHECK_BUF(b, "[1,[2]]");
    facet_buf_reset(&b);
    CHECK_EQ_INT(gql_json_write_pretty(&b, l, -3), 0);
    CHECK_BUF(b, "[1,[2]]");
    facet_buf_reset(&b);
    CHECK_EQ_INT(gql_json_write_pretty(&b, gql_value_new_object(&a, 0), 2), 0);
    CHECK_EQ_INT(gql_json_write_pretty(&b, gql_value_new_int(&a, 5), 2), 0);
    CHECK_BUF(b, "{}5");
    facet_buf_free(&b);
    facet_arena_free(&a);
}

TEST(write_value_respects_the_buffer_limit)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    facet_buf_t b;
    facet_buf_init(&b, 10);
    CHECK_EQ_INT(gql_json_write_value(&b, sample(&a)), FACET_ELIMIT);
    facet_buf_free(&b);
    facet_buf_init(&b, 10);
    CHECK_EQ_INT(gql_json_write_pretty(&b, sample(&a), 2), FACET_ELIMIT);
    facet_buf_free(&b);
    facet_arena_free(&a);
}

/* parse -> write -> parse gives an equal value and the same text. */
static void check_round_trip(const char *json)
{
    facet_arena_t a;
    facet_arena_init(&a, 0);
    gql_value_t *v1, *v2;
    facet_buf_t w1, w2;
    facet_buf_init(&w1, 0);
    facet_buf_init(&w2, 0);
    CHECK_EQ_INT(gql_json_parse(&a, json, strlen(json), 0, &v1, NULL, 0), 0);
    CHECK_EQ_INT(gql_json_write_pretty(&w1, v1, 2), 0);
    CHECK_EQ_INT(gql_json_parse(&a, w1.base, w1.len, 0, &v2, NULL, 0), 0);
    CHECK(gql_value_equal(v1, v2));
    facet_buf_reset(&w1);
    CHECK_EQ_INT(gql_json_write_value(&w1, v1), 0);
    CHECK_EQ_INT(gql_json_write_value(&w2, v2), 0);
    CHECK(w1.len == w2.len && memcmp(w1.base, w2.base, w1.len) == 0);
    facet_buf_free(&w1);
    facet_buf_free(&w2);
    facet_arena_free(&a);
}

TEST(round_trips)
{
    check_round_trip("{\"data\":{\"user\":{\"id\":\"1\",\"tags\":[\"a\",\"b\"],\"score\":0.1}}}");
    check_round_trip("[1e21,1e-7,-0,5e-324,1.7976931348623157e308,123456789012345678901]");
    check_round_trip("[\"\\u0000\\u001f\\\"\\\\/\\b\\f\\n\\r\\t\\ud83d\\ude00\\u2028\"]");
    check_round_trip("{\"b\":1,\"a\":{\"2\":[{}],\"1\":[[]]},\"b\":2}");
    check_round_trip("\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"");
    check_round_trip("[null,true,false,{},[],\"\"]");
}
