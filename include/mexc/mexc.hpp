#pragma once
// Umbrella include.
#include "mexc/book/order_book.hpp"
#include "mexc/config.hpp"
#include "mexc/decimal.hpp"
#include "mexc/error.hpp"
#include "mexc/exchange.hpp"
#include "mexc/rest/public_rest.hpp"
#include "mexc/sign/hmac_signer.hpp"
#include "mexc/sign/query.hpp"
#include "mexc/types.hpp"
#include "mexc/wire/json.hpp"
#include "mexc/wire/push.hpp"
