#pragma once
// `rfm`'s description of a shop's export on the command line: the same keys
// as a grid config's dataset.schema and dataset.cleaning, so any log the
// config can read the command line can too.
//   --columns customer=Customer ID,date=Date,invoice=Order,quantity=Qty,price=Unit Price   (or amount=Total)
//   --date-format %Y%m%d   --delimiter ';'   (or --delimiter whitespace: runs of spaces and tabs)
//   --no-header --columns customer=1,date=3,quantity=4,amount=5   (positions from 1)
//   --cleaning duplicates=false,excluded_countries=false,non_product_codes=POST;DOT
//   --since 2011-01-01   --until 2011-06-30
#include <optional>
#include <string>

#include "clusterbench/rfm/config/transactions_config.hpp"

namespace cb::cli {

struct RfmLogFlags {
  std::string columns;      ///< KEY=COLUMN,... over the schema keys
  std::string date_format;  ///< strptime-like format of the date column
  std::string delimiter;    ///< one character, or "whitespace"
  bool no_header = false;   ///< the first line is data; --columns gives positions from 1
  std::string cleaning;     ///< KEY=VALUE,... over the cleaning keys; lists joined with ';'
  std::string since;        ///< first day kept (YYYY-MM-DD)
  std::string until;        ///< last day kept (YYYY-MM-DD)
};

/// The schema and cleaning the flags describe (defaults: the Online Retail
/// schema and the config's default cleaning). Throws InputError naming the flag
/// and key, e.g. "--columns: unknown key 'custmer' (did you mean 'customer'?)".
rfm_config::TransactionsConfig parse_rfm_log_flags(const RfmLogFlags& flags);

}  // namespace cb::cli
