/* The aws-sig-v4-test-suite cases used by test_media_sigv4.c, as published
 * in awslabs/aws-c-auth (tests/aws-signing-test-suite/v4): each request
 * with its canonical request, string-to-sign hash and signature for header
 * signing, and its canonical request and signature for query signing (3600
 * seconds). Credentials AKIDEXAMPLE, region us-east-1, service "service",
 * time 20150830T123600Z. get-header-value-multiline is left out: its folded
 * value is refused by the signer (see the errors test). */
#ifndef FACET_TEST_MEDIA_SIGV4_SUITE_H
#define FACET_TEST_MEDIA_SIGV4_SUITE_H

#include <stdbool.h>

typedef struct vector {
    const char *name;
    const char *method, *path, *query;
    const char *headers[16]; /* name, value, ..., NULL */
    const char *body;
    bool keep_path, sign_body, unsigned_token;
    const char *token;
    const char *creq, *sts_hash, *sig; /* header signing */
    const char *qcreq, *qsig;          /* query signing, 3600 s */
} vector_t;

static const vector_t suite[] = {
    {
        .name = "get-vanilla",
        .method = "GET",
        .path = "/",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .creq = "GET\n/"
                "\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
        .sig = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        .qcreq = "GET\n/"
                 "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-"
                 "east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-"
                 "Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d",
    },
    {
        .name = "get-vanilla-query",
        .method = "GET",
        .path = "/",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .creq = "GET\n/"
                "\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
        .sig = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        .qcreq = "GET\n/"
                 "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-"
                 "east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-"
                 "Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d",
    },
    {
        .name = "get-vanilla-empty-query-key",
        .method = "GET",
        .path = "/",
        .query = "Param1=value1",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .creq = "GET\n/"
                "\nParam1=value1\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;"
                "x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "1e24db194ed7d0eec2de28d7369675a243488e08526e8c1c73571282f7c517ab",
        .sig = "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb",
        .qcreq = "GET\n/"
                 "\nParam1=value1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%"
                 "2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-"
                 "Amz-Expires=3600&X-Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "49096700cbbaa5753443850f40df10f904fc2fdb544dc9512203cc77c471a9de",
    },
    {
        .name = "get-vanilla-query-order-key-case",
        .method = "GET",
        .path = "/",
        .query = "Param2=value2&Param1=value1",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .creq = "GET\n/"
                "\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:"
                "20150830T123600Z\n\nhost;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
        .sig = "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
        .qcreq =
            "GET\n/"
            "\nParam1=value1&Param2=value2&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
            "AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date="
            "20150830T123600Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host\nhost:example.amazonaws."
            "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "86012e2c9ad4d77369f5d81c11f75158aae4f895a085212cc6d3f923d300bed5",
    },
    {
        .name = "get-vanilla-query-order-encoded",
        .method = "GET",
        .path = "/",
        .query = "Param-3=Value3&Param=Value2&%E1%88%B4=Value1",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .creq = "GET\n/"
                "\n%E1%88%B4=Value1&Param=Value2&Param-3=Value3\nhost:example.amazonaws.com\nx-amz-"
                "date:20150830T123600Z\n\nhost;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "868294f5c38bd141c4972a373a76654f1418a8e4fc18b2e7903ae45e8ae0ec71",
        .sig = "371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac",
        .qcreq =
            "GET\n/"
            "\n%E1%88%B4=Value1&Param=Value2&Param-3=Value3&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-"
            "Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date="
            "20150830T123600Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host\nhost:example.amazonaws."
            "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "c5f1848ceec943ac2ca68ee720460c23aaae30a2300586597ada94c4a65e4787",
    },
    {
        .name = "get-vanilla-query-unreserved",
        .method = "GET",
        .path = "/",
        .query = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~"
                 "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .creq = "GET\n/"
                "\n-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~"
                "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\nhost:example."
                "amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "c30d4703d9f799439be92736156d47ccfb2d879ddf56f5befa6d1d6aab979177",
        .sig = "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197",
        .qcreq = "GET\n/"
                 "\n-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~"
                 "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz&X-Amz-Algorithm="
                 "AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%"
                 "2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-Amz-"
                 "SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "8e76a88a7433637b12778d5592799b29ad21ecd6cf6325051c21d86f0acda2bf",
    },
    {
        .name = "get-vanilla-utf8-query",
        .method = "GET",
        .path = "/",
        .query = "\xe1\x88\xb4=bar",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .creq = "GET\n/"
                "\n%E1%88%B4=bar\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;"
                "x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073",
        .sig = "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04",
        .qcreq = "GET\n/"
                 "\n%E1%88%B4=bar&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%"
                 "2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-"
                 "Amz-Expires=3600&X-Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "0bdd809b1519ac4f0c1dc3540e2cc46bd0c7f778eda408b2ebf3b913d21ff600",
    },
    {
        .name = "get-unreserved",
        .method = "GET",
        .path = "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .creq = "GET\n/"
                "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n\nhost:"
                "example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9",
        .sig = "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f",
        .qcreq = "GET\n/"
                 "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\nX-Amz-"
                 "Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%"
                 "2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-Amz-"
                 "SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "95968482db1b9e0fadef6efc1bd24689f77c77d9ef56919c96a28cc92e0d6005",
    },
    {
        .name = "get-utf8",
        .method = "GET",
        .path = "/\xe1\x88\xb4",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .creq = "GET\n/"
                "%E1%88%B4\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-"
                "amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102",
        .sig = "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85",
        .qcreq = "GET\n/"
                 "%E1%88%B4\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%"
                 "2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-"
                 "Amz-Expires=3600&X-Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "10eae3f14a260bd3911cc6d008d3c576d143b05b62f09782a7a4b37f52178e44",
    },
    {
        .name = "get-space-normalized",
        .method = "GET",
        .path = "/example space/",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .creq = "GET\n/example%20space/"
                "\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86",
        .sig = "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741",
        .qcreq = "GET\n/example%20space/"
                 "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-"
                 "east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-"
                 "Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "7a1f416954786484c9824d93c1f26ef64acb9b1b6c9154d08c9f07d0e394abf6",
    },
    {
        .name = "get-space-unnormalized",
        .method = "GET",
        .path = "/example space/",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .keep_path = true,
        .creq = "GET\n/example%20space/"
                "\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86",
        .sig = "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741",
        .qcreq = "GET\n/example%20space/"
                 "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-"
                 "east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-"
                 "Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "7a1f416954786484c9824d93c1f26ef64acb9b1b6c9154d08c9f07d0e394abf6",
    },
    {
        .name = "get-header-key-duplicate",
        .method = "GET",
        .path = "/",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", "My-Header1", "value2", "My-Header1", "value2",
                    "My-Header1", "value1", NULL},
        .creq = "GET\n/"
                "\n\nhost:example.amazonaws.com\nmy-header1:value2,value2,value1\nx-amz-date:"
                "20150830T123600Z\n\nhost;my-header1;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c",
        .sig = "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea",
        .qcreq = "GET\n/"
                 "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-"
                 "east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-"
                 "Amz-SignedHeaders=host%3Bmy-header1\nhost:example.amazonaws.com\nmy-header1:"
                 "value2,value2,value1\n\nhost;my-"
                 "header1\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "3349ee0b81b4b589da0ff28a395c3591e04de515651dd74f298fa992d1507a97",
    },
    {
        .name = "get-header-value-order",
        .method = "GET",
        .path = "/",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", "My-Header1", "value4", "My-Header1", "value1",
                    "My-Header1", "value3", "My-Header1", "value2", NULL},
        .creq = "GET\n/"
                "\n\nhost:example.amazonaws.com\nmy-header1:value4,value1,value3,value2\nx-amz-"
                "date:20150830T123600Z\n\nhost;my-header1;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "31ce73cd3f3d9f66977ad3dd957dc47af14df92fcd8509f59b349e9137c58b86",
        .sig = "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01",
        .qcreq = "GET\n/"
                 "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-"
                 "east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-"
                 "Amz-SignedHeaders=host%3Bmy-header1\nhost:example.amazonaws.com\nmy-header1:"
                 "value4,value1,value3,value2\n\nhost;my-"
                 "header1\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "313720e71ca6202fdcfa9b20f88de01a4eb0638a83c833b1c184359a4eda864e",
    },
    {
        .name = "get-header-value-trim",
        .method = "GET",
        .path = "/",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", "My-Header1", " value1", "My-Header2",
                    " \"a   b   c\"", NULL},
        .creq = "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b "
                "c\"\nx-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
        .sig = "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
        .qcreq = "GET\n/"
                 "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-"
                 "east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-"
                 "Amz-SignedHeaders=host%3Bmy-header1%3Bmy-header2\nhost:example.amazonaws.com\nmy-"
                 "header1:value1\nmy-header2:\"a b "
                 "c\"\n\nhost;my-header1;my-"
                 "header2\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "e7bb0fd515e125e1aec2ecc4c0c17484fb06f6846b927c35e46005dd3df3acd4",
    },
    {
        .name = "post-header-key-case",
        .method = "POST",
        .path = "/",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .creq = "POST\n/"
                "\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
        .sig = "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
        .qcreq = "POST\n/"
                 "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-"
                 "east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-"
                 "Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "2ce6e6d2e0cf2f9d1b55fafec88cd20574c31dc2e7631979f71ba2310083e95b",
    },
    {
        .name = "post-header-key-sort",
        .method = "POST",
        .path = "/",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", "My-Header1", "value1", NULL},
        .creq = "POST\n/"
                "\n\nhost:example.amazonaws.com\nmy-header1:value1\nx-amz-date:"
                "20150830T123600Z\n\nhost;my-header1;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "9368318c2967cf6de74404b30c65a91e8f6253e0a8659d6d5319f1a812f87d65",
        .sig = "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c",
        .qcreq = "POST\n/"
                 "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-"
                 "east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-"
                 "Amz-SignedHeaders=host%3Bmy-header1\nhost:example.amazonaws.com\nmy-header1:"
                 "value1\n\nhost;my-"
                 "header1\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "c09d07e0d55871f10f2a6d350d994acf6825a3cae70673d7def55616e6119dd7",
    },
    {
        .name = "post-header-value-case",
        .method = "POST",
        .path = "/",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", "My-Header1", "VALUE1", NULL},
        .creq = "POST\n/"
                "\n\nhost:example.amazonaws.com\nmy-header1:VALUE1\nx-amz-date:"
                "20150830T123600Z\n\nhost;my-header1;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "d51ced243e649e3de6ef63afbbdcbca03131a21a7103a1583706a64618606a93",
        .sig = "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d",
        .qcreq = "POST\n/"
                 "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-"
                 "east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-"
                 "Amz-SignedHeaders=host%3Bmy-header1\nhost:example.amazonaws.com\nmy-header1:"
                 "VALUE1\n\nhost;my-"
                 "header1\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "0698bc9e4f7f9139065ba2909c0e99da257e8e2a42492a097bcd46d792391fed",
    },
    {
        .name = "post-vanilla",
        .method = "POST",
        .path = "/",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .creq = "POST\n/"
                "\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
        .sig = "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
        .qcreq = "POST\n/"
                 "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-"
                 "east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-"
                 "Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "2ce6e6d2e0cf2f9d1b55fafec88cd20574c31dc2e7631979f71ba2310083e95b",
    },
    {
        .name = "post-vanilla-query",
        .method = "POST",
        .path = "/",
        .query = "Param1=value1",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .creq = "POST\n/"
                "\nParam1=value1\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;"
                "x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd",
        .sig = "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11",
        .qcreq = "POST\n/"
                 "\nParam1=value1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%"
                 "2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-"
                 "Amz-Expires=3600&X-Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "a9ef26247f293bffe40eeff86a0480ba8c14d31503b2e0c3399e3a16bf1a3682",
    },
    {
        .name = "post-vanilla-empty-query-value",
        .method = "POST",
        .path = "/",
        .query = "Param1=value1",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .creq = "POST\n/"
                "\nParam1=value1\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;"
                "x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd",
        .sig = "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11",
        .qcreq = "POST\n/"
                 "\nParam1=value1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%"
                 "2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-"
                 "Amz-Expires=3600&X-Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "a9ef26247f293bffe40eeff86a0480ba8c14d31503b2e0c3399e3a16bf1a3682",
    },
    {
        .name = "post-x-www-form-urlencoded",
        .method = "POST",
        .path = "/",
        .query = "",
        .headers = {"Content-Type", "application/x-www-form-urlencoded", "Host",
                    "example.amazonaws.com", "Content-Length", "13", NULL},
        .body = "Param1=value1",
        .sign_body = true,
        .creq = "POST\n/\n\ncontent-length:13\ncontent-type:application/"
                "x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-content-sha256:"
                "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e\nx-amz-date:"
                "20150830T123600Z\n\ncontent-length;content-type;host;x-amz-content-sha256;x-amz-"
                "date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
        .sts_hash = "b1edd1d03544c25390e32085d55b57acc9a3961bb59415ff86c45c3d89d16cfb",
        .sig = "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b",
        .qcreq = "POST\n/"
                 "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-"
                 "east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-"
                 "Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost\ncontent-length:"
                 "13\ncontent-type:application/"
                 "x-www-form-urlencoded\nhost:example.amazonaws.com\n\ncontent-length;content-type;"
                 "host\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
        .qsig = "89a40deed0f26f9461242825a082d2222717248abc7ab41f552ad84a94ad46e9",
    },
    {
        .name = "post-x-www-form-urlencoded-parameters",
        .method = "POST",
        .path = "/",
        .query = "",
        .headers = {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8", "Host",
                    "example.amazonaws.com", "Content-Length", "13", NULL},
        .body = "Param1=value1",
        .sign_body = true,
        .creq = "POST\n/\n\ncontent-length:13\ncontent-type:application/x-www-form-urlencoded; "
                "charset=utf-8\nhost:example.amazonaws.com\nx-amz-content-sha256:"
                "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e\nx-amz-date:"
                "20150830T123600Z\n\ncontent-length;content-type;host;x-amz-content-sha256;x-amz-"
                "date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
        .sts_hash = "a89f1a5b53e37702ee6363ce1da3ce8f54386f3c8f352ae652153c2982a0bc4d",
        .sig = "328d1b9eaadca9f5818ef05e8392801e091653bafec24fcab71e7344e7f51422",
        .qcreq = "POST\n/"
                 "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-"
                 "east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-"
                 "Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost\ncontent-length:"
                 "13\ncontent-type:application/x-www-form-urlencoded; "
                 "charset=utf-8\nhost:example.amazonaws.com\n\ncontent-length;content-type;"
                 "host\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
        .qsig = "0dbeb9b026c7b6675f266b8427efec9b4fa8b1f6ef1477d717aea231106eab4d",
    },
    {
        .name = "post-sts-header-before",
        .method = "POST",
        .path = "/",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .token = "AQoDYXdzEPT//////////"
                 "wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTf"
                 "lfKD8YUuwthAx7mSEI/qkPpKPi/"
                 "kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8T"
                 "x6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+"
                 "scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==",
        .creq = "POST\n/"
                "\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\nx-amz-security-token:"
                "AQoDYXdzEPT//////////"
                "wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTfl"
                "fKD8YUuwthAx7mSEI/qkPpKPi/"
                "kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx"
                "6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+"
                "scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/"
                "oLxBA==\n\nhost;x-amz-date;x-amz-security-"
                "token\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6",
        .sig = "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead",
        .qcreq = "POST\n/"
                 "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-"
                 "east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-"
                 "Amz-Security-Token=AQoDYXdzEPT%2F%2F%2F%2F%2F%2F%2F%2F%2F%"
                 "2FwEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRq"
                 "TflfKD8YUuwthAx7mSEI%2FqkPpKPi%"
                 "2FkMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd"
                 "8Tx6q6fE8YQcHNVXAkiY9q6d%2Bxo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz%"
                 "2BscqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR%2FoLxBA%3D%3D&X-"
                 "Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "46c2e3c63c1dbe7d39f8ada16fe7f001c1f56c5791441565323677f96308871c",
    },
    {
        .name = "post-sts-header-after",
        .method = "POST",
        .path = "/",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .token = "AQoDYXdzEPT//////////"
                 "wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTf"
                 "lfKD8YUuwthAx7mSEI/qkPpKPi/"
                 "kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8T"
                 "x6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+"
                 "scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==",
        .unsigned_token = true,
        .creq = "POST\n/"
                "\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
        .sig = "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
        .qcreq = "POST\n/"
                 "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-"
                 "east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-"
                 "Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "2ce6e6d2e0cf2f9d1b55fafec88cd20574c31dc2e7631979f71ba2310083e95b",
    },
    {
        .name = "get-vanilla-with-session-token",
        .method = "GET",
        .path = "/",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267",
        .creq =
            "GET\n/"
            "\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\nx-amz-security-token:"
            "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267\n\nhost;x-amz-date;x-"
            "amz-security-token\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "067b36aa60031588cea4a4cde1f21215227a047690c72247f1d70b32fbbfad2b",
        .sig = "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8",
        .qcreq =
            "GET\n/"
            "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-"
            "1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-Amz-"
            "Security-Token=6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267&X-Amz-"
            "SignedHeaders=host\nhost:example.amazonaws."
            "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "7ff2b50b376cb4d151970630573d6291dc128cc5c2a12ffb237f73cc53f67b6c",
    },
    {
        .name = "get-relative-normalized",
        .method = "GET",
        .path = "/example/..",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .creq = "GET\n/"
                "\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
        .sig = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        .qcreq = "GET\n/"
                 "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-"
                 "east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-"
                 "Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d",
    },
    {
        .name = "get-relative-unnormalized",
        .method = "GET",
        .path = "/example/..",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .keep_path = true,
        .creq = "GET\n/example/"
                "..\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "0511f456aa502b456d135fcb9d749374a55228f9dbeedda1eacf659e05b0615b",
        .sig = "eca7ead57bb5aa5c8e28007acd4ff04e1ff9a0ff3b237ec1554a184887ff9282",
        .qcreq = "GET\n/example/"
                 "..\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%"
                 "2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires="
                 "3600&X-Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "cbcb213b928a077e43275df47b500f1dfaa864ab3f5a18f6b95f4ff0938167ee",
    },
    {
        .name = "get-relative-relative-normalized",
        .method = "GET",
        .path = "/example1/example2/../..",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .creq = "GET\n/"
                "\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
        .sig = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        .qcreq = "GET\n/"
                 "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-"
                 "east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-"
                 "Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d",
    },
    {
        .name = "get-relative-relative-unnormalized",
        .method = "GET",
        .path = "/example1/example2/../..",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .keep_path = true,
        .creq = "GET\n/example1/example2/../"
                "..\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "76115030c0f3ff06c20fdff5ceb6d5e0b835a1743e00b94fea7c7f381269437b",
        .sig = "dc33e0856fd4baca4d7aa2146c38958283844764f38c74252a333df5e613003b",
        .qcreq = "GET\n/example1/example2/../"
                 "..\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%"
                 "2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires="
                 "3600&X-Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "b45db0bfd1cf15003493b733e33aa208dd981bd0e63037a6ed953f71d2118a16",
    },
    {
        .name = "get-slash-normalized",
        .method = "GET",
        .path = "//",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .creq = "GET\n/"
                "\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
        .sig = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        .qcreq = "GET\n/"
                 "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-"
                 "east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-"
                 "Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d",
    },
    {
        .name = "get-slash-unnormalized",
        .method = "GET",
        .path = "//",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .keep_path = true,
        .creq = "GET\n//"
                "\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "80cb39203d058af815de2b79250ff56e1b73eb9b4718c86556cdc6f150c5d209",
        .sig = "c88bcd3d312d75078c0cd961d6deae3f4c754924b01669efcfcb439fd5e5b76e",
        .qcreq = "GET\n//"
                 "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-"
                 "east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-"
                 "Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "b2a9542809db687769200f56a844a03f2bd0291d6eb90232d5101c6a579446cd",
    },
    {
        .name = "get-slash-dot-slash-normalized",
        .method = "GET",
        .path = "/./",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .creq = "GET\n/"
                "\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
        .sig = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        .qcreq = "GET\n/"
                 "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-"
                 "east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-"
                 "Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d",
    },
    {
        .name = "get-slash-dot-slash-unnormalized",
        .method = "GET",
        .path = "/./",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .keep_path = true,
        .creq = "GET\n/./"
                "\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "d67825e2268bd77a97c7688b8d72c31a3c1855b309808505ba0a9747d2465aa7",
        .sig = "68714168e6557f8f2de0ef956fc24dc2593a4bd2961f8df51898d8a134695145",
        .qcreq = "GET\n/./"
                 "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-"
                 "east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-"
                 "Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "a9b13e8f3484d9505bf1a6f347219f8f35b0fe8f128ceea597efc146a3dfe90c",
    },
    {
        .name = "get-slash-pointless-dot-normalized",
        .method = "GET",
        .path = "/./example",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .creq = "GET\n/"
                "example\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "214d50c111a8edc4819da6a636336472c916b5240f51e9a51b5c3305180cf702",
        .sig = "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5",
        .qcreq = "GET\n/"
                 "example\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%"
                 "2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-"
                 "Amz-Expires=3600&X-Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "35034b1a0bdd969f346975386daf8aedfd4976573b8348cf4f67eaa41c5857de",
    },
    {
        .name = "get-slash-pointless-dot-unnormalized",
        .method = "GET",
        .path = "/./example",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .keep_path = true,
        .creq = "GET\n/./"
                "example\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "73895e0e829507e28e39fd24669aedc2434a8e179e547e3c075b42921f952cdb",
        .sig = "beb03f223f7deae4146464f06e29eebbee9c8afbe15c290cf07aa8b119e14cff",
        .qcreq = "GET\n/./"
                 "example\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%"
                 "2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-"
                 "Amz-Expires=3600&X-Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "72b11f16d9530b18204bfb71f2d6ab085894c0ed8d352730a6e76234c58b5e10",
    },
    {
        .name = "get-slashes-normalized",
        .method = "GET",
        .path = "//example//",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .creq = "GET\n/example/"
                "\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "cb96b4ac96d501f7c5c15bc6d67b3035061cfced4af6585ad927f7e6c985c015",
        .sig = "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84",
        .qcreq = "GET\n/example/"
                 "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-"
                 "east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-"
                 "Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "c1834e8fb0307243711f0f907f6ab7311ed300d87f13792d7ee4da89ab93e082",
    },
    {
        .name = "get-slashes-unnormalized",
        .method = "GET",
        .path = "//example//",
        .query = "",
        .headers = {"Host", "example.amazonaws.com", NULL},
        .keep_path = true,
        .creq = "GET\n//example//"
                "\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
                "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sts_hash = "528ec3105ee1f34ab014bb0a1a45da0ed2742a4fea3555149e5b4d5d201eb240",
        .sig = "87cca117541a147f6df867677d98a7d80dff226d2bfca9e4ffa899665623c7e5",
        .qcreq = "GET\n//example//"
                 "\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-"
                 "east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-"
                 "Amz-SignedHeaders=host\nhost:example.amazonaws."
                 "com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .qsig = "822a5a9ba28072c5ab2bb4a6307d0c88276d40e49fec6b724c03fb4d4ba60fc2",
    },
};

#endif
