// Request signing (SPEC §2, §11.1, §11.2): HMAC-SHA256 lower-case hex over the exact query sent.

#include "mexc/config.hpp"
#include "mexc/sign/hmac_signer.hpp"
#include "sign/query.hpp"

#include "support/alloc_counter.hpp"

#include <catch2/catch.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include "support/catch_result.hpp"

#include <random>
#include <string>
#include <utility>
#include <vector>

namespace {

// SPEC §11.1 demo credentials.
constexpr std::string_view secret = "45d0b3c26f2644f19bfb98b07741b2f5";

using Params = std::vector<std::pair<std::string, std::string>>;

std::string build_query(const Params& params) {
    std::string q;
    for (const auto& [name, value] : params) mexc::append_param(q, name, value);
    return q;
}

std::string encode(std::string_view value) {
    std::string out;
    mexc::percent_encode(out, value);
    return out;
}

// Independent oracle: OpenSSL's one-shot HMAC.
std::string openssl_hmac_hex(std::string_view key, std::string_view message) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), md, &len);
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    for (unsigned i = 0; i < len; ++i) {
        hex.push_back(digits[md[i] >> 4]);
        hex.push_back(digits[md[i] & 0xf]);
    }
    return hex;
}

const Params order_params = {{"symbol", "BTCUSDT"},
                             {"side", "BUY"},
                             {"type", "LIMIT"},
                             {"quantity", "1"},
                             {"price", "11"},
                             {"recvWindow", "5000"},
                             {"timestamp", "1644489390087"}};

}  // namespace

TEST_CASE("sign: SPEC 11.1 all-in-query example signs to fd3e4e85...837a", "[unit][sign][S09]") {
    const std::string total = build_query(order_params);
    CHECK(total ==
          "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=11&recvWindow=5000&timestamp="
          "1644489390087");
    const mexc::HmacSigner signer(secret);
    CHECK(signer.sign(total) == "fd3e4e8543c5188531eb7279d68ae7d26a573d0fc5ab0d18eb692451654d837a");
}

TEST_CASE(
    "sign: SPEC 11.1 all-in-body example (doc erratum) signs identically to the query example",
    "[unit][sign][S09]") {
    // The doc prints 323c96ab…; identical input must give the identical signature (SPEC §11.1).
    const mexc::HmacSigner signer(secret);
    const std::string body = build_query(order_params);
    const std::string sig = signer.sign(std::string() + body);
    CHECK(sig == "fd3e4e8543c5188531eb7279d68ae7d26a573d0fc5ab0d18eb692451654d837a");
    CHECK(sig != "323c96ab85a745712e95e63cad28903dd8292e4a905e99c4ee3932023843a117");
}

TEST_CASE("sign: SPEC 11.1 mixed query and body are concatenated without '&'",
          "[unit][sign][S09]") {
    const std::string query =
        build_query({{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "LIMIT"}});
    const std::string body = build_query({{"quantity", "1"},
                                          {"price", "11"},
                                          {"recvWindow", "5000"},
                                          {"timestamp", "1644489390087"}});
    const std::string total = query + body;
    CHECK(total ==
          "symbol=BTCUSDT&side=BUY&type=LIMITquantity=1&price=11&recvWindow=5000&timestamp="
          "1644489390087");
    CHECK(mexc::HmacSigner(secret).sign(total) ==
          "d1a676610ceb39174c8039b3f548357994b2a34139a8addd33baadba65684592");
}

TEST_CASE("sign: append_signature appends &signature=<hex> last, over the query as it stands",
          "[unit][sign]") {
    const mexc::HmacSigner signer(secret);
    std::string query = build_query(order_params);
    mexc::append_signature(query, signer);
    CHECK(query ==
          "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=11&recvWindow=5000&timestamp="
          "1644489390087"
          "&signature=fd3e4e8543c5188531eb7279d68ae7d26a573d0fc5ab0d18eb692451654d837a");
}

TEST_CASE("sign: every SPEC 11.2 self-computed vector is reproduced byte-exactly",
          "[unit][sign][S09]") {
    const mexc::HmacSigner signer(secret);
    struct Vector {
        Params params;
        std::string_view total;
        std::string_view signature;
    };
    const std::string batch_json =
        R"([{"type":"LIMIT","price":"40000","quantity":"0.0002","symbol":"BTCUSDT","side":"BUY","newClientOrderId":"c1"}])";
    const std::vector<Vector> vectors = {
        {{{"recvWindow", "5000"}, {"timestamp", "1644489390087"}},
         "recvWindow=5000&timestamp=1644489390087",
         "1103ce19f47c037fc03b8b9d674e10ee76e53272851eb2a3b10321cd353fb9bf"},
        {{{"symbol", "BTCUSDT"},
          {"origClientOrderId", "myOrder1"},
          {"recvWindow", "5000"},
          {"timestamp", "1644489390087"}},
         "symbol=BTCUSDT&origClientOrderId=myOrder1&recvWindow=5000&timestamp=1644489390087",
         "64df0ffd9a4b10ae46cc7daa11755cdc3c5ce4dec1f67ac23a88bb1d5bc8e5b8"},
        {{{"listenKey", "pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1"},
          {"timestamp", "1644489390087"}},
         "listenKey=pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1&timestamp="
         "1644489390087",
         "42926b31ac527c30f62c2d5c0a96a7f6cee17e54e8b2a5ef25ebb570ac39cdec"},
        {{{"symbol", "BTCUSDT"},
          {"side", "BUY"},
          {"type", "MARKET"},
          {"quoteOrderQty", "10"},
          {"timestamp", "1644489390087"}},
         "symbol=BTCUSDT&side=BUY&type=MARKET&quoteOrderQty=10&timestamp=1644489390087",
         "1472decbb51fdbb7ed24cf65521851fd58a4de8aa75fc1ab4c6c8aee2f0e3491"},
        {{{"batchOrders", batch_json}, {"recvWindow", "5000"}, {"timestamp", "1644489390087"}},
         "batchOrders=%5B%7B%22type%22%3A%22LIMIT%22%2C%22price%22%3A%2240000%22%2C%22quantity%22%"
         "3A%220.0002%22%2C"
         "%22symbol%22%3A%22BTCUSDT%22%2C%22side%22%3A%22BUY%22%2C%22newClientOrderId%22%3A%22c1%"
         "22%7D%5D"
         "&recvWindow=5000&timestamp=1644489390087",
         "8de9a774b5f84128f07bcdf796d6ffc0bf863fe4a198e529dc41ed907c571c42"},
        {{{"symbol", "币安人生USDT"},
          {"side", "BUY"},
          {"type", "LIMIT"},
          {"quantity", "1"},
          {"price", "0.5"},
          {"newClientOrderId", "a b"},
          {"timestamp", "1644489390087"}},
         "symbol=%E5%B8%81%E5%AE%89%E4%BA%BA%E7%94%9FUSDT&side=BUY&type=LIMIT&quantity=1&price=0.5"
         "&newClientOrderId=a%20b&timestamp=1644489390087",
         "abc09765619dc74daf8191c454025391178f75ef6287cf2a345018a8d29d6384"},
    };
    for (const auto& v : vectors) {
        INFO(v.total);
        std::string query = build_query(v.params);
        CHECK(query == v.total);
        CHECK(signer.sign(query) == v.signature);
        mexc::append_signature(query, signer);
        CHECK(query == std::string(v.total) + "&signature=" + std::string(v.signature));
    }
}

TEST_CASE("sign: percent_encode leaves only A-Z a-z 0-9 - _ . ~ literal, with upper-case hex",
          "[unit][sign]") {
    CHECK(encode("AZaz09-_.~") == "AZaz09-_.~");
    CHECK(encode("a b") == "a%20b");
    CHECK(encode("+*/,:;=&?%#") == "%2B%2A%2F%2C%3A%3B%3D%26%3F%25%23");
    CHECK(encode(std::string_view("\x00\x7f\xff", 3)) == "%00%7F%FF");
    CHECK(encode("币") == "%E5%B8%81");
    CHECK(encode("") == "");
    // Every byte outside the unreserved set is escaped: checked over all 256 values.
    for (int c = 0; c < 256; ++c) {
        const char ch = static_cast<char>(c);
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
                                c == '~';
        const std::string out = encode(std::string_view(&ch, 1));
        if (unreserved) {
            CHECK(out == std::string(1, ch));
        } else {
            static constexpr char hex[] = "0123456789ABCDEF";
            CHECK(out == std::string{'%', hex[c >> 4], hex[c & 0xf]});
        }
    }
}

TEST_CASE("sign: append_param separates with '&' only after the first parameter", "[unit][sign]") {
    std::string q;
    mexc::append_param(q, "a", "1");
    CHECK(q == "a=1");
    mexc::append_param(q, "b", "x y");
    CHECK(q == "a=1&b=x%20y");
    mexc::append_param(q, "c", "");
    CHECK(q == "a=1&b=x%20y&c=");
}

TEST_CASE("sign: signatures match OpenSSL HMAC for keys shorter and longer than a block (seeded)",
          "[unit][sign]") {
    std::mt19937 rng(7);
    for (int i = 0; i < 200; ++i) {
        std::string key(rng() % 160, '\0');
        for (auto& c : key) c = static_cast<char>(rng());
        std::string message(rng() % 300, '\0');
        for (auto& c : message) c = static_cast<char>(rng());
        const mexc::HmacSigner signer(key);
        INFO("key size " << key.size() << ", message size " << message.size());
        CHECK(signer.sign(message) == openssl_hmac_hex(key, message));
    }
}

TEST_CASE("sign: the signature is 64 lower-case hex characters", "[unit][sign]") {
    const std::string sig = mexc::HmacSigner(secret).sign("anything");
    REQUIRE(sig.size() == mexc::HmacSigner::hex_size);
    for (char c : sig) CHECK(((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')));
}

TEST_CASE("sign: a signer built from a SecretString equals one built from the raw secret",
          "[unit][sign]") {
    const mexc::SecretString s{std::string(secret)};
    const mexc::HmacSigner from_secret(s);
    CHECK(from_secret.sign("recvWindow=5000&timestamp=1644489390087") ==
          "1103ce19f47c037fc03b8b9d674e10ee76e53272851eb2a3b10321cd353fb9bf");
}

TEST_CASE("sign: signing into a caller buffer does not allocate", "[unit][sign][alloc]") {
    const mexc::HmacSigner signer(secret);
    const std::string total = build_query(order_params);
    char out[mexc::HmacSigner::hex_size];
    mexc::testing::AllocationCounter allocs;
    for (int i = 0; i < 100; ++i)
        signer.sign(total, std::span<char, mexc::HmacSigner::hex_size>(out));
    CHECK(allocs.count() == 0);
    CHECK(std::string_view(out, sizeof out) ==
          "fd3e4e8543c5188531eb7279d68ae7d26a573d0fc5ab0d18eb692451654d837a");
}
