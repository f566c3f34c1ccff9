#include "clusterbench/rfm/pipeline.hpp"

#include <algorithm>

namespace cb::rfm {

Analysis analyze_log(const std::string& path, const io::LogSchema& schema, const SegmentTable& table,
                     const AnalysisOptions& options, const Executor& executor) {
  validate(table);  // fail on a bad table before reading the log
  CleaningOptions cleaning = options.cleaning;
  if (options.snapshot)
    cleaning.before = cleaning.before ? std::min(*cleaning.before, *options.snapshot) : *options.snapshot;
  LogAggregate aggregate = read_and_aggregate(path, schema, cleaning, executor, options.reader);
  Analysis a;
  a.customers = customer_features(aggregate, FeatureOptions{options.snapshot});
  a.report = std::move(aggregate.report);
  a.scores = score(a.customers.features, options.scoring);
  a.segments = assign_segments(a.customers.features, a.scores, table);
  a.profile = profile(a.customers.features, a.segments.segment, a.segments.names, &a.scores);
  return a;
}

}  // namespace cb::rfm
