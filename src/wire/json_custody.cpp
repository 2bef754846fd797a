// Account-management bodies: STP groups, sub-accounts, wallet (SPEC §3.2 extras, §3.4–§3.6).
// MEXC wraps these inconsistently: `records` finds the list of objects whatever the envelope,
// `Fields` reads one object by name with the shared field readers and names the first missing or
// mistyped field (P16). Not hot paths: fields are looked up by name rather than walked.

#include "wire/json.hpp"

#include "wire/json_support.hpp"

#include <iterator>

namespace mexc::wire {
namespace {

/// Reads fields of one object; the first failure is kept and names its field.
class Fields {
public:
    explicit Fields(od::object obj) : obj_(obj) {}

    template <class Out>
    Fields& text(std::string_view key, Out& out, bool required = false) {
        return read(key, required, [&](od::value v) { return text_of(v, out); });
    }
    template <class T>
    Fields& decimal(std::string_view key, T& out, bool required = false) {
        return read(key, required, [&](od::value v) { return decimal_of(v, out); });
    }
    template <class Int>
    Fields& integer(std::string_view key, Int& out, bool required = false) {
        return read(key, required, [&](od::value v) { return int_of(v, out); });
    }
    Fields& boolean(std::string_view key, bool& out, bool required = false) {
        return read(key, required, [&](od::value v) { return bool_of(v, out); });
    }
    Fields& list(std::string_view key, std::vector<std::string>& out, bool required = false) {
        return read(key, required, [&](od::value v) { return list_of(v, out); });
    }
    /// Each object of an array field, read by `read`.
    template <class T, class Read>
    Fields& objects(std::string_view key, std::vector<T>& out, Read read_one,
                    bool required = false) {
        std::optional<Error> item_error;
        read(key, required, [&](od::value v) { return objects_of(v, out, read_one, item_error); });
        if (item_error) error_ = *item_error;
        return *this;
    }

    template <class T>
    Result<T> done(T value) const {
        if (failed_) return error_;
        return value;
    }

private:
    // An absent key and null are the same: missing when required, else the default stays (a
    // fallback key may still fill it).
    template <class Read>
    Fields& read(std::string_view key, bool required, Read read_value) {
        if (failed_) return *this;
        od::value v;
        const auto found = obj_.find_field_unordered(key).get(v);
        if (found && found != simdjson::NO_SUCH_FIELD) return fail(Errc::malformed_json, key);
        const Got got = found ? Got::null : read_value(v);
        if (got == Got::bad) return fail(Errc::unexpected_json_shape, key);
        if (got == Got::null && required) return fail(Errc::missing_field, key);
        return *this;
    }
    Fields& fail(Errc code, std::string_view key) {
        if (!failed_) error_ = field_error(code, key);
        failed_ = true;
        return *this;
    }

    od::object obj_;
    bool failed_ = false;
    Error error_;
};

bool is_container(od::value v) noexcept {
    od::json_type t;
    return !v.type().get(t) && (t == od::json_type::array || t == od::json_type::object);
}

/// Calls `on_record` for each record object in `v`, whatever MEXC wrapped it in: an array of
/// objects; a one-element array or object holding `list_key` (or "data"); or a single record.
template <class OnRecord>
Result<void> records(od::value v, std::string_view list_key, OnRecord& on_record) {
    od::json_type t;
    if (v.type().get(t)) return bad(Errc::malformed_json);
    od::value inner;
    if (t == od::json_type::array) {
        od::array arr;
        std::size_t count = 0;
        if (v.get_array().get(arr) || arr.count_elements().get(count))
            return bad(Errc::malformed_json);
        for (auto item : arr) {
            od::object obj;
            if (item.get_object().get(obj)) return shape();
            if (count == 1 && !list_key.empty() && !obj.find_field_unordered(list_key).get(inner) &&
                is_container(inner))
                return records(inner, list_key, on_record);
            if (auto r = on_record(obj); !r) return r;
        }
        return {};
    }
    if (t != od::json_type::object) return shape();
    od::object obj;
    if (v.get_object().get(obj)) return bad(Errc::malformed_json);
    if (!list_key.empty() && !obj.find_field_unordered(list_key).get(inner) && is_container(inner))
        return records(inner, {}, on_record);
    if (!obj.find_field_unordered("data").get(inner) && is_container(inner))
        return records(inner, list_key, on_record);
    if (obj.reset().error()) return bad(Errc::malformed_json);
    return on_record(obj);
}

// `impl` is the reader's JsonReader::Impl (its padded buffer and parser).
template <class T, class Impl, class Read>
Result<std::vector<T>> read_records(Impl& impl, std::string_view body, std::string_view list_key,
                                    Read read) {
    od::document doc;
    od::value root;
    if (impl.iterate(body).get(doc)) return bad(Errc::malformed_json);
    od::json_type t;
    if (doc.type().get(t)) return bad(Errc::malformed_json);
    if (t != od::json_type::array && t != od::json_type::object) return shape();
    // Fields are looked up, not walked, so the root is not read to its end: skip over it once to
    // refuse trailing content (P17), then read it from the start.
    std::string_view whole;
    od::object skip_object;
    od::array skip_array;
    if (t == od::json_type::object
            ? doc.get_object().get(skip_object) || skip_object.raw_json().get(whole)
            : doc.get_array().get(skip_array) || skip_array.raw_json().get(whole))
        return bad(Errc::malformed_json);
    if (!at_end(doc)) return bad(Errc::malformed_json);
    doc.rewind();
    if (doc.get_value().get(root)) return bad(Errc::malformed_json);
    std::vector<T> out;
    auto on_record = [&](od::object obj) -> Result<void> {
        auto one = read(obj);
        if (!one) return one.error();
        out.push_back(std::move(*one));
        return {};
    };
    if (auto r = records(root, list_key, on_record); !r) return r.error();
    return out;
}

template <class T, class Impl, class Read>
Result<T> read_one(Impl& impl, std::string_view body, std::string_view list_key, Read read) {
    auto all = read_records<T>(impl, body, list_key, read);
    if (!all) return all.error();
    if (all->size() != 1) return shape();
    return std::move(all->front());
}

Result<TransferRecord> read_transfer(od::object o) {
    TransferRecord t;
    return Fields(o)
        .text("tranId", t.id, true)
        .text("clientTranId", t.client_id)
        .text("fromAccount", t.from_account)
        .text("toAccount", t.to_account)
        .text("fromAccountType", t.from_type)
        .text("toAccountType", t.to_type)
        .text("asset", t.asset, true)
        .decimal("amount", t.amount, true)
        .text("status", t.status)
        .integer("timestamp", t.time)
        .done(std::move(t));
}

Result<CoinNetwork> read_network(od::object o) {
    CoinNetwork n;
    return Fields(o)
        .text("network", n.network)
        .text("netWork", n.network)  // the current name wins when both are present
        .boolean("depositEnable", n.deposit_enabled)
        .boolean("withdrawEnable", n.withdraw_enabled)
        .decimal("withdrawFee", n.withdraw_fee)
        .decimal("withdrawMin", n.withdraw_min)
        .decimal("withdrawMax", n.withdraw_max)
        .integer("minConfirm", n.min_confirm)
        .text("contract", n.contract)
        .done(std::move(n));
}

Result<ConvertRecord> read_convert_detail(od::object o) {
    ConvertRecord c;
    return Fields(o)
        .text("id", c.id)
        .text("asset", c.asset, true)
        .decimal("amount", c.amount)
        .decimal("convert", c.mx)
        .decimal("fee", c.fee_mx)
        .integer("time", c.time)
        .done(std::move(c));
}

}  // namespace

Result<std::string> JsonReader::field_text(std::string_view body, std::string_view name) {
    return read_one<std::string>(*impl_, body, {}, [&](od::object o) {
        std::string out;
        return Fields(o).text(name, out, true).done(std::move(out));
    });
}

Result<std::vector<std::string>> JsonReader::listen_keys(std::string_view body) {
    return read_one<std::vector<std::string>>(*impl_, body, {}, [](od::object o) {
        std::vector<std::string> keys;
        return Fields(o).list("listenKey", keys, true).done(std::move(keys));
    });
}

Result<TradeFee> JsonReader::trade_fee(std::string_view body) {
    return read_one<TradeFee>(*impl_, body, {}, [](od::object o) {
        TradeFee f;
        return Fields(o)
            .decimal("makerCommission", f.maker, true)
            .decimal("takerCommission", f.taker, true)
            .done(f);
    });
}

Result<bool> JsonReader::mx_deduct(std::string_view body) {
    return read_one<bool>(*impl_, body, {}, [](od::object o) {
        bool enabled = false;
        return Fields(o).boolean("mxDeductEnable", enabled, true).done(enabled);
    });
}

Result<std::vector<StpGroup>> JsonReader::stp_groups(std::string_view body) {
    return read_records<StpGroup>(*impl_, body, {}, [](od::object o) {
        StpGroup g;
        return Fields(o)
            .text("tradeGroupName", g.name, true)
            .integer("tradeGroupId", g.id, true)
            .list("tradeGroupUid", g.uids)
            .integer("createTime", g.create_time)
            .integer("updateTime", g.update_time)
            .done(std::move(g));
    });
}

Result<std::vector<SubAccount>> JsonReader::sub_accounts(std::string_view body) {
    return read_records<SubAccount>(*impl_, body, "subAccounts", [](od::object o) {
        SubAccount s;
        return Fields(o)
            .text("subAccount", s.name, true)
            .text("note", s.note)
            .text("uid", s.uid)
            .boolean("isFreeze", s.frozen)
            .integer("createTime", s.create_time)
            .done(std::move(s));
    });
}

Result<std::vector<SubAccountApiKey>> JsonReader::sub_account_api_keys(std::string_view body) {
    // The list nests the keys under "subAccount"; the creation answer has "subAccount" as a name.
    return read_records<SubAccountApiKey>(*impl_, body, "subAccount", [](od::object o) {
        SubAccountApiKey k;
        std::string secret;
        auto r = Fields(o)
                     .text("subAccount", k.sub_account)
                     .text("note", k.note)
                     .text("apiKey", k.api_key, true)
                     .text("secretKey", secret)
                     .list("permissions", k.permissions)
                     .list("ip", k.ips)
                     .integer("creatTime", k.create_time)  // sic
                     .done(0);
        k.secret_key = SecretString(std::move(secret));
        if (!r) return Result<SubAccountApiKey>(r.error());
        return Result<SubAccountApiKey>(std::move(k));
    });
}

Result<std::vector<TransferRecord>> JsonReader::transfers(std::string_view body) {
    return read_records<TransferRecord>(*impl_, body, "rows", read_transfer);
}

Result<std::vector<CoinInfo>> JsonReader::coins(std::string_view body) {
    return read_records<CoinInfo>(*impl_, body, {}, [](od::object o) -> Result<CoinInfo> {
        CoinInfo c;
        return Fields(o)
            .text("coin", c.coin, true)
            .text("name", c.name)
            .text("Name", c.name)
            .objects("networkList", c.networks, read_network, true)
            .done(std::move(c));
    });
}

Result<std::vector<DepositRecord>> JsonReader::deposits(std::string_view body) {
    return read_records<DepositRecord>(*impl_, body, {}, [](od::object o) {
        DepositRecord d;
        return Fields(o)
            .text("coin", d.coin, true)
            .decimal("amount", d.amount, true)
            .integer("status", d.status, true)
            .text("network", d.network)
            .text("address", d.address)
            .text("memo", d.memo)
            .text("txId", d.tx_id)
            .integer("insertTime", d.insert_time)
            .done(std::move(d));
    });
}

Result<std::vector<WithdrawRecord>> JsonReader::withdrawals(std::string_view body) {
    return read_records<WithdrawRecord>(*impl_, body, {}, [](od::object o) {
        WithdrawRecord w;
        return Fields(o)
            .text("id", w.id, true)
            .text("coin", w.coin, true)
            .decimal("amount", w.amount, true)
            .integer("status", w.status, true)
            .text("network", w.network)
            .text("address", w.address)
            .text("memo", w.memo)
            .text("txId", w.tx_id)
            .text("remark", w.remark)
            .text("withdrawOrderId", w.withdraw_order_id)
            .decimal("transactionFee", w.fee)
            .integer("transferType", w.transfer_type)
            .integer("applyTime", w.apply_time)
            .integer("updateTime", w.update_time)
            .done(std::move(w));
    });
}

Result<std::vector<WalletAddress>> JsonReader::addresses(std::string_view body) {
    return read_records<WalletAddress>(*impl_, body, {}, [](od::object o) {
        WalletAddress a;
        return Fields(o)
            .text("coin", a.coin, true)
            .text("address", a.address, true)
            .text("network", a.network)
            .text("memo", a.memo)
            .text("addressTag", a.tag)
            .done(std::move(a));
    });
}

Result<std::vector<ConvertibleAsset>> JsonReader::convertible_assets(std::string_view body) {
    return read_records<ConvertibleAsset>(*impl_, body, {}, [](od::object o) {
        ConvertibleAsset a;
        return Fields(o)
            .text("asset", a.asset, true)
            .decimal("balance", a.balance)
            .decimal("convertMx", a.mx_value)
            .decimal("convertUsdt", a.usdt_value)
            .text("code", a.code)
            .done(std::move(a));
    });
}

Result<ConvertResult> JsonReader::convert_result(std::string_view body) {
    return read_one<ConvertResult>(*impl_, body, {}, [](od::object o) {
        ConvertResult c;
        return Fields(o)
            .list("successList", c.converted, true)
            .list("failedList", c.failed)
            .decimal("totalConvert", c.total_mx)
            .decimal("convertFee", c.fee_mx)
            .done(std::move(c));
    });
}

Result<std::vector<ConvertRecord>> JsonReader::conversions(std::string_view body) {
    // Each conversion lists its assets under convertDetails: one record per asset.
    auto batches = read_records<std::vector<ConvertRecord>>(
        *impl_, body, {}, [](od::object o) -> Result<std::vector<ConvertRecord>> {
            std::vector<ConvertRecord> out;
            return Fields(o)
                .objects("convertDetails", out, read_convert_detail, true)
                .done(std::move(out));
        });
    if (!batches) return batches.error();
    std::vector<ConvertRecord> all;
    for (auto& b : *batches) std::move(b.begin(), b.end(), std::back_inserter(all));
    return all;
}

}  // namespace mexc::wire
