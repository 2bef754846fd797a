// The sandbox's own decimals, order vocabulary and signature check (tools/sandbox:
// sandbox_decimal, vocabulary, sandbox_hmac), checked against SPEC vectors and then against the
// client library's (include/mexc/decimal.hpp, order.hpp, sign/hmac_signer.hpp). The sandbox judges
// the client, so the two are written apart; where they disagree one of them is wrong, and each
// check says which one SPEC supports.

#include "sandbox_decimal.hpp"
#include "sandbox_hmac.hpp"
#include "vocabulary.hpp"

#include "mexc/decimal.hpp"
#include "mexc/order.hpp"
#include "mexc/sign/hmac_signer.hpp"

#include <catch2/catch.hpp>

#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace sbx = mexc::sandbox;

namespace {

constexpr std::string_view doc_secret = "45d0b3c26f2644f19bfb98b07741b2f5";  // SPEC §11.1

std::string client_format(std::int64_t units, std::uint8_t scale) {
    char buf[32];
    return std::string(buf, mexc::format_decimal_units(units, scale, std::span<char, 32>(buf)));
}

std::string sandbox_format(std::int64_t units, std::uint8_t scale) {
    return std::string(sbx::DecimalText(units, scale).view());
}

// The client's error for a refused text, as the sandbox names it.
sbx::DecimalFault client_fault(mexc::Errc e) {
    switch (e) {
        case mexc::Errc::malformed_number:
            return sbx::DecimalFault::malformed;
        case mexc::Errc::precision_exceeded:
            return sbx::DecimalFault::too_many_decimals;
        case mexc::Errc::overflow:
            return sbx::DecimalFault::out_of_range;
        default:
            FAIL("unexpected client error " << static_cast<int>(e));
            return sbx::DecimalFault::none;
    }
}

// Decimal strings of SPEC's recorded and self-encoded frames and answers (§11.3, §11.4, §11.6),
// each at the scale MEXC wrote it with.
const std::vector<std::pair<std::string_view, std::uint8_t>> spec_decimals = {
    {"87903.98", 2},
    {"5.12181600", 8},
    {"87900.00", 2},
    {"0.05661525", 8},
    {"87924.49", 2},
    {"0.00722558", 8},
    {"635.3054364542", 10},
    {"87644.58", 2},
    {"0.61162371", 8},
    {"87231.15", 2},
    {"17.48934453", 8},
    {"1525897.53", 2},
    {"87920.64", 2},
    {"-491.05", 2},
    {"-0.0055", 4},
    {"677764373.43", 2},
    {"7670.80936815", 8},
    {"0.000001", 6},
    {"0.0005", 4},
    {"0.003000000000000000", 18},
    {"83958.21", 2},
    {"0.35388633", 8},
    {"29711.41", 2},
    {"86503.92", 2},
    {"14.91335308", 8},
    {"0.004965", 6},
    {"5.42169969", 8},
    {"84270.01", 2},
    {"0.00099829", 8},
    {"84270.00", 2},
    {"0.00638700", 8},
    {"2.07853100", 8},
    {"92877.59", 2},
    {"3.6962", 4},
    {"0.0003998377369698171", 19},
    {"21.94210356004384", 14}};

}  // namespace

// ---- HMAC (SPEC §2.1, §11.1, §11.2) ----

TEST_CASE("sandbox oracle: HMAC-SHA256 gives SPEC's official and self-computed signatures",
          "[unit][sandbox]") {
    const std::string order =
        "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=11&recvWindow=5000&timestamp="
        "1644489390087";
    // §11.1: all in the query (and, erratum, all in the body: the same input, the same answer).
    CHECK(sbx::hmac_sha256_hex(doc_secret, order) ==
          "fd3e4e8543c5188531eb7279d68ae7d26a573d0fc5ab0d18eb692451654d837a");
    // §11.1 mixed: query and body joined without '&'.
    CHECK(sbx::hmac_sha256_hex(doc_secret,
                               "symbol=BTCUSDT&side=BUY&type=LIMITquantity=1&price=11&"
                               "recvWindow=5000&timestamp=1644489390087") ==
          "d1a676610ceb39174c8039b3f548357994b2a34139a8addd33baadba65684592");
    // §11.2.
    const std::pair<std::string_view, std::string_view> vectors[] = {
        {"recvWindow=5000&timestamp=1644489390087",
         "1103ce19f47c037fc03b8b9d674e10ee76e53272851eb2a3b10321cd353fb9bf"},
        {"symbol=BTCUSDT&origClientOrderId=myOrder1&recvWindow=5000&timestamp=1644489390087",
         "64df0ffd9a4b10ae46cc7daa11755cdc3c5ce4dec1f67ac23a88bb1d5bc8e5b8"},
        {"listenKey=pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1&timestamp="
         "1644489390087",
         "42926b31ac527c30f62c2d5c0a96a7f6cee17e54e8b2a5ef25ebb570ac39cdec"},
        {"symbol=BTCUSDT&side=BUY&type=MARKET&quoteOrderQty=10&timestamp=1644489390087",
         "1472decbb51fdbb7ed24cf65521851fd58a4de8aa75fc1ab4c6c8aee2f0e3491"},
        {"batchOrders=%5B%7B%22type%22%3A%22LIMIT%22%2C%22price%22%3A%2240000%22%2C%22quantity%22%"
         "3A%220.0002%22%2C%22symbol%22%3A%22BTCUSDT%22%2C%22side%22%3A%22BUY%22%2C%"
         "22newClientOrderId%22%3A%22c1%22%7D%5D&recvWindow=5000&timestamp=1644489390087",
         "8de9a774b5f84128f07bcdf796d6ffc0bf863fe4a198e529dc41ed907c571c42"},
        {"symbol=%E5%B8%81%E5%AE%89%E4%BA%BA%E7%94%9FUSDT&side=BUY&type=LIMIT&quantity=1&price=0.5&"
         "newClientOrderId=a%20b&timestamp=1644489390087",
         "abc09765619dc74daf8191c454025391178f75ef6287cf2a345018a8d29d6384"},
    };
    sbx::HmacSha256 doc(doc_secret);  // one keyed state for all, as the venue keeps per key
    for (const auto& [message, signature] : vectors) {
        INFO(message);
        CHECK(sbx::hmac_sha256_hex(doc_secret, message) == signature);
        CHECK(doc.hex(message) == signature);
        CHECK(doc.matches(message, signature));
    }
    // RFC 4231 cases 2 and 6 (a key longer than the block is hashed first).
    CHECK(sbx::hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(sbx::hmac_sha256_hex(std::string(131, '\xaa'),
                               "Test Using Larger Than Block-Size Key - Hash Key First") ==
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_CASE("sandbox oracle: a signature is refused in upper-case hex, base64, truncated or wrong",
          "[unit][sandbox]") {
    sbx::HmacSha256 doc(doc_secret);
    const std::string_view message = "recvWindow=5000&timestamp=1644489390087";
    const std::string good = "1103ce19f47c037fc03b8b9d674e10ee76e53272851eb2a3b10321cd353fb9bf";
    REQUIRE(doc.matches(message, good));
    std::string upper = good;
    for (char& c : upper)
        if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
    CHECK_FALSE(doc.matches(message, upper));  // SPEC §2.1 "lowercase only"
    CHECK_FALSE(doc.matches(message, good.substr(0, 63)));
    CHECK_FALSE(doc.matches(message, good + "0"));
    CHECK_FALSE(doc.matches(message, ""));
    CHECK_FALSE(doc.matches(message, "EQPOGfR8A3/AO4udZ04Q7nblMnKFHrKjsQMhzTU/ub8="));  // base64
    // The erratum of §11.1 example 1 is not a valid signature of its input.
    CHECK_FALSE(
        doc.matches("symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=11&recvWindow=5000&"
                    "timestamp=1644489390087",
                    "323c96ab85a745712e95e63cad28903dd8292e4a905e99c4ee3932023843a117"));
    CHECK_FALSE(sbx::HmacSha256("another-secret").matches(message, good));
    // The keyed state is reset on every use: the same answer again and again.
    for (int i = 0; i < 3; ++i) CHECK(doc.hex(message) == good);
}

TEST_CASE("sandbox oracle: the sandbox's HMAC and the client's signer agree on every length",
          "[unit][sandbox]") {
    // Both must equal SPEC §2.1's lowercase_hex(HMAC_SHA256(secret, message)); the known answers
    // above pin the sandbox's, so a difference here is the client's signer being wrong.
    std::mt19937_64 rng(20261203);
    for (std::size_t key_size : {0, 1, 32, 63, 64, 65, 131, 300}) {
        std::string key(key_size, '\0');
        for (char& c : key) c = static_cast<char>(rng());
        const mexc::HmacSigner client(key);
        sbx::HmacSha256 ours(key);
        for (std::size_t size : {0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 4096}) {
            std::string message(size, '\0');
            for (char& c : message) c = static_cast<char>(rng());
            INFO("key " << key_size << " bytes, message " << size << " bytes");
            const std::string signature = client.sign(message);
            CHECK(signature == sbx::hmac_sha256_hex(key, message));
            CHECK(ours.matches(message, signature));
        }
    }
}

// ---- decimals ----

TEST_CASE("sandbox oracle: SPEC's decimal strings parse at their scale and print back unchanged",
          "[unit][sandbox]") {
    for (const auto& [text, scale] : spec_decimals) {
        INFO(text << " at scale " << int{scale});
        const auto parsed = sbx::parse_decimal(text, scale);
        REQUIRE(parsed);
        CHECK(sbx::decimal(parsed.units, scale) == text);
        // The client agrees (SPEC §0.3: exact decimals, so both must give the text back).
        const auto client = mexc::parse_decimal_units(text, scale);
        REQUIRE(client.has_value());
        CHECK(*client == parsed.units);
        CHECK(client_format(*client, scale) == text);
    }
    CHECK(sbx::parse_decimal("84270.01", 2).units == 8427001);
    CHECK(sbx::parse_decimal("0.0003998377369698171", 19).units == 3998377369698171);
}

TEST_CASE("sandbox oracle: the venue prints exactly the symbol's decimals, as REST depth does",
          "[unit][sandbox]") {
    // MEXC writes some values without trailing zeros ("84270", "87904.5"); the venue prints every
    // value at its scale, as the recorded depth answer does ("87900.00", "0.05661525", §11.6).
    CHECK(sbx::decimal(sbx::parse_decimal("84270", 2).units, 2) == "84270.00");
    CHECK(sbx::decimal(sbx::parse_decimal("87904.5", 2).units, 2) == "87904.50");
    CHECK(sbx::decimal(sbx::parse_decimal("0.5", 8).units, 8) == "0.50000000");
    CHECK(sbx::decimal(5, 0) == "5");
    CHECK(sbx::decimal(5, 3) == "0.005");
    CHECK(sbx::decimal(-5, 3) == "-0.005");
    CHECK(sbx::decimal(0, 4) == "0.0000");
    CHECK(sbx::decimal(std::numeric_limits<std::int64_t>::min(), 0) == "-9223372036854775808");
    CHECK(sbx::decimal(std::numeric_limits<std::int64_t>::max(), 19) == "0.9223372036854775807");
    CHECK(sbx::decimal(1, 30) == "0.000000000000000000000000000001");  // any scale is exact
}

TEST_CASE("sandbox oracle: the venue's amounts follow SPEC's recorded answers", "[unit][sandbox]") {
    // GET /api/v3/trades (§11.6): quoteQty is price × qty exactly, at price + quantity decimals.
    CHECK(sbx::decimal(std::int64_t{8792449} * 722558, 2 + 8) == "635.3054364542");
    // GET /api/v3/ticker/24hr (§11.6): open 88395.05, last 87904.
    CHECK(sbx::decimal(8790400 - 8839505, 2) == "-491.05");
    // priceChangePercent is truncated toward zero: -0.005555… is "-0.0055", not "-0.0056".
    CHECK(sbx::change_rate(8790400, 8839505) == "-0.0055");
    CHECK(sbx::change_rate(8839505, 8790400) == "0.0055");  // +0.005586… truncated
    CHECK(sbx::change_rate(100, 100) == "0.0000");
    CHECK(sbx::change_rate(1, 100000) == "-0.9999");
    CHECK(sbx::change_rate(5, 0) == "0.0000");
}

TEST_CASE("sandbox oracle: malformed, too precise and out-of-range decimals are refused",
          "[unit][sandbox]") {
    using F = sbx::DecimalFault;
    struct Case {
        std::string_view text;
        std::uint8_t scale;
        F fault;
        std::int64_t units;
    };
    const Case cases[] = {
        {"0", 2, F::none, 0},
        {"-0", 2, F::none, 0},
        {"007", 0, F::none, 7},
        {"1.10", 1, F::none, 11},
        {"1.000000000000000000000000000000", 2, F::none, 100},  // trailing zeros carry nothing
        {"00000000000000000000000000000001", 0, F::none, 1},
        {"9223372036854775807", 0, F::none, std::numeric_limits<std::int64_t>::max()},
        {"-9223372036854775808", 0, F::none, std::numeric_limits<std::int64_t>::min()},
        {"922337203685477580.7", 1, F::none, std::numeric_limits<std::int64_t>::max()},
        {"0.9223372036854775807", 19, F::none, std::numeric_limits<std::int64_t>::max()},
        {"-0.9223372036854775808", 19, F::none, std::numeric_limits<std::int64_t>::min()},
        {"", 2, F::malformed, 0},
        {"-", 2, F::malformed, 0},
        {"+1", 2, F::malformed, 0},
        {"1e5", 2, F::malformed, 0},
        {"1E5", 2, F::malformed, 0},
        {" 1", 2, F::malformed, 0},
        {"1 ", 2, F::malformed, 0},
        {".5", 2, F::malformed, 0},
        {"5.", 2, F::malformed, 0},
        {"-.5", 2, F::malformed, 0},
        {"1.2.3", 2, F::malformed, 0},
        {"--1", 2, F::malformed, 0},
        {"0x10", 2, F::malformed, 0},
        {"NaN", 2, F::malformed, 0},
        {"inf", 2, F::malformed, 0},
        {"1,5", 2, F::malformed, 0},
        {"1_000", 2, F::malformed, 0},
        {"\xd9\xa3", 0, F::malformed, 0},  // ARABIC-INDIC DIGIT THREE
        {"0.15", 1, F::too_many_decimals, 0},
        {"84270.001", 2, F::too_many_decimals, 0},
        {"0.000000001", 8, F::too_many_decimals, 0},
        {"1.5", 0, F::too_many_decimals, 0},
        {"9223372036854775808", 0, F::out_of_range, 0},
        {"-9223372036854775809", 0, F::out_of_range, 0},
        {"922337203685477580.8", 1, F::out_of_range, 0},
        {"1", 19, F::out_of_range, 0},
        {"0.9223372036854775808", 19, F::out_of_range, 0},
        {"99999999999999999999999999999999999999999", 0, F::out_of_range, 0},
    };
    for (const auto& c : cases) {
        INFO('"' << c.text << "\" at scale " << int{c.scale});
        const auto parsed = sbx::parse_decimal(c.text, c.scale);
        CHECK(parsed.fault == c.fault);
        CHECK(parsed.units == c.units);
        // The client classifies each the same way. Every case has one defect only: with several,
        // which is reported first is each side's choice (the client reads left to right).
        const auto client = mexc::parse_decimal_units(c.text, c.scale);
        if (c.fault == F::none) {
            REQUIRE(client.has_value());
            CHECK(*client == c.units);
        } else {
            REQUIRE_FALSE(client.has_value());
            CHECK(client_fault(client.error()) == c.fault);
        }
    }
}

TEST_CASE("sandbox oracle: sandbox and client decimals agree on a spread of values",
          "[unit][sandbox]") {
    // SPEC §0.3 asks for exact decimals, so the two sides must agree on every value: the same text
    // for the same units, the same units for the same text, the same order and the same sums. The
    // sandbox's printer and parser are pinned by the SPEC vectors above: where they disagree, the
    // client is the one that is wrong.
    std::mt19937_64 rng(42);
    std::vector<std::int64_t> units = {0,
                                       1,
                                       -1,
                                       9,
                                       10,
                                       -10,
                                       99,
                                       100,
                                       12345,
                                       8427001,
                                       -49105,
                                       1000000000000000000,
                                       999999999999999999,
                                       std::numeric_limits<std::int64_t>::max(),
                                       std::numeric_limits<std::int64_t>::max() - 1,
                                       std::numeric_limits<std::int64_t>::min(),
                                       std::numeric_limits<std::int64_t>::min() + 1};
    for (int i = 0; i < 200; ++i) units.push_back(static_cast<std::int64_t>(rng()));
    for (int i = 0; i < 200; ++i)
        units.push_back(static_cast<std::int64_t>(rng() % 100000000) - 50000000);
    for (std::uint8_t scale = 0; scale <= mexc::max_decimal_scale; ++scale) {
        std::vector<std::int64_t> parsed;
        for (const std::int64_t u : units) {
            INFO(u << " at scale " << int{scale});
            const std::string text = sandbox_format(u, scale);
            // Format.
            REQUIRE(client_format(u, scale) == text);
            // Parse, both ways round.
            const auto ours = sbx::parse_decimal(text, scale);
            const auto theirs = mexc::parse_decimal_units(text, scale);
            REQUIRE(ours);
            REQUIRE(theirs.has_value());
            CHECK(ours.units == u);
            CHECK(*theirs == u);
            parsed.push_back(ours.units);
        }
        // Compare and add, at one scale (the client compares units of one scale only).
        for (std::size_t i = 0; i + 1 < parsed.size(); ++i) {
            const auto a = mexc::Price::from_units(parsed[i], scale);
            const auto b = mexc::Price::from_units(parsed[i + 1], scale);
            CHECK((a <=> b) == (parsed[i] <=> parsed[i + 1]));
            CHECK((a == b) == (parsed[i] == parsed[i + 1]));
            std::int64_t sum = 0;
            if (__builtin_add_overflow(parsed[i], parsed[i + 1], &sum)) continue;
            const auto client_sum =
                mexc::Quantity::from_units(a.units() + b.units(), scale).to_string();
            CHECK(client_sum == sbx::decimal(sum, scale));
        }
    }
}

TEST_CASE("sandbox oracle: sandbox and client accept exactly the same decimal texts",
          "[unit][sandbox]") {
    // Random texts over the characters that matter; both sides must accept the same ones and read
    // the same units (the venue refuses what MEXC's grammar does not have, SPEC §0.3).
    std::mt19937_64 rng(7);
    const std::string_view alphabet = "0123456789000000000.-+e ";
    std::size_t accepted = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string text(rng() % 24, '\0');
        for (char& c : text) c = alphabet[rng() % alphabet.size()];
        const auto scale = static_cast<std::uint8_t>(rng() % (mexc::max_decimal_scale + 1));
        INFO('"' << text << "\" at scale " << int{scale});
        const auto ours = sbx::parse_decimal(text, scale);
        const auto theirs = mexc::parse_decimal_units(text, scale);
        REQUIRE(static_cast<bool>(ours) == theirs.has_value());
        if (!ours) continue;
        ++accepted;
        CHECK(ours.units == *theirs);
    }
    CHECK(accepted > 500);  // the alphabet makes valid numbers common enough to mean something
}

// ---- order vocabulary (SPEC §3.2, §4) ----

TEST_CASE("sandbox oracle: the order vocabulary has SPEC's names and push numbers",
          "[unit][sandbox]") {
    using sbx::OrderStatus;
    using sbx::OrderType;
    using sbx::Side;
    // §4.1 and §4.8 tradeType.
    CHECK(sbx::to_string(Side::buy) == "BUY");
    CHECK(sbx::to_string(Side::sell) == "SELL");
    CHECK(sbx::push_side(Side::buy) == 1);
    CHECK(sbx::push_side(Side::sell) == 2);
    // §4.2 and §4.8 PrivateOrdersV3Api.orderType.
    const std::tuple<OrderType, std::string_view, int> types[] = {
        {OrderType::limit, "LIMIT", 1},
        {OrderType::limit_maker, "LIMIT_MAKER", 2},
        {OrderType::immediate_or_cancel, "IMMEDIATE_OR_CANCEL", 3},
        {OrderType::fill_or_kill, "FILL_OR_KILL", 4},
        {OrderType::market, "MARKET", 5},
    };
    for (const auto& [t, text, push] : types) {
        CHECK(sbx::to_string(t) == text);
        CHECK(sbx::parse_order_type(text) == t);
        CHECK(sbx::push_order_type(t) == push);
    }
    // §4.3 and §4.8 PrivateOrdersV3Api.status (note 2 filled, 3 partially filled).
    const std::tuple<OrderStatus, std::string_view, int, bool> statuses[] = {
        {OrderStatus::new_order, "NEW", 1, false},
        {OrderStatus::filled, "FILLED", 2, true},
        {OrderStatus::partially_filled, "PARTIALLY_FILLED", 3, false},
        {OrderStatus::canceled, "CANCELED", 4, true},
        {OrderStatus::partially_canceled, "PARTIALLY_CANCELED", 5, true},
    };
    for (const auto& [s, text, push, final] : statuses) {
        CHECK(sbx::to_string(s) == text);
        CHECK(sbx::parse_order_status(text) == s);
        CHECK(sbx::push_order_status(s) == push);
        CHECK(sbx::is_final(s) == final);
    }
    // §3.2 stpMode.
    CHECK(sbx::to_string(sbx::StpMode::none).empty());
    CHECK(sbx::parse_stp_mode("cancel_maker") == sbx::StpMode::cancel_maker);
    CHECK(sbx::parse_stp_mode("cancel_taker") == sbx::StpMode::cancel_taker);
    CHECK(sbx::parse_stp_mode("cancel_both") == sbx::StpMode::cancel_both);
    CHECK(sbx::to_string(sbx::StpMode::cancel_both) == "cancel_both");
    // §4.4: responses carry GTC.
    CHECK(sbx::time_in_force == "GTC");
    // Not placeable: lower case, the batch doc's LIMIT_ORDER, query-only STOP_MARKET_ORDER (§4.2).
    for (std::string_view text : {"", "buy", "Buy", "BID"}) CHECK_FALSE(sbx::parse_side(text));
    for (std::string_view text : {"", "limit", "LIMIT_ORDER", "STOP_MARKET_ORDER", "POST_ONLY"})
        CHECK_FALSE(sbx::parse_order_type(text));
    for (std::string_view text : {"", "new", "PENDING", "REJECTED", "EXPIRED"})
        CHECK_FALSE(sbx::parse_order_status(text));
    for (std::string_view text : {"CANCEL_MAKER", "cancel", "none"})
        CHECK_FALSE(sbx::parse_stp_mode(text));
}

TEST_CASE("sandbox oracle: sandbox and client order vocabularies agree", "[unit][sandbox]") {
    // The sandbox's names are pinned to SPEC §4 above: a difference is the client being wrong.
    for (auto s : {sbx::Side::buy, sbx::Side::sell}) {
        const auto client = mexc::parse_side(sbx::to_string(s));
        REQUIRE(client);
        CHECK(mexc::to_string(*client) == sbx::to_string(s));
    }
    for (auto t : {sbx::OrderType::limit, sbx::OrderType::market, sbx::OrderType::limit_maker,
                   sbx::OrderType::immediate_or_cancel, sbx::OrderType::fill_or_kill}) {
        const auto client = mexc::parse_order_type(sbx::to_string(t));
        REQUIRE(client);
        CHECK(mexc::to_string(*client) == sbx::to_string(t));
    }
    for (auto s :
         {sbx::OrderStatus::new_order, sbx::OrderStatus::partially_filled, sbx::OrderStatus::filled,
          sbx::OrderStatus::canceled, sbx::OrderStatus::partially_canceled}) {
        const auto client = mexc::parse_order_status(sbx::to_string(s));
        REQUIRE(client);
        CHECK(mexc::to_string(*client) == sbx::to_string(s));
        CHECK(mexc::is_final(*client) == sbx::is_final(s));
    }
    const std::pair<mexc::StpMode, sbx::StpMode> modes[] = {
        {mexc::StpMode::none, sbx::StpMode::none},
        {mexc::StpMode::cancel_maker, sbx::StpMode::cancel_maker},
        {mexc::StpMode::cancel_taker, sbx::StpMode::cancel_taker},
        {mexc::StpMode::cancel_both, sbx::StpMode::cancel_both},
    };
    for (const auto& [client, ours] : modes) CHECK(mexc::to_string(client) == sbx::to_string(ours));
    // Texts neither side may take.
    for (std::string_view text : {"LIMIT_ORDER", "STOP_MARKET_ORDER", "limit"}) {
        CHECK_FALSE(mexc::parse_order_type(text));
        CHECK_FALSE(sbx::parse_order_type(text));
    }
}
