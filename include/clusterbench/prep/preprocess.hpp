#pragma once
// Feature preprocessing: log1p on chosen columns, then a per-column scaler.
// Fitted once, applicable to new points (new customers) with apply().
#include <string_view>
#include <vector>

#include "clusterbench/core/enum_names.hpp"
#include "clusterbench/core/matrix.hpp"

namespace cb::prep {

enum class Scaling {
  none,      ///< leave values as they are
  standard,  ///< (x - mean) / std, population std as scikit-learn's StandardScaler
  robust,    ///< (x - median) / IQR, as scikit-learn's RobustScaler
  minmax,    ///< (x - min) / (max - min), as scikit-learn's MinMaxScaler
};

inline constexpr EnumName<Scaling> kScalingNames[] = {
    {"none", Scaling::none}, {"standard", Scaling::standard}, {"robust", Scaling::robust}, {"minmax", Scaling::minmax}};
/// Parses "none|standard|robust|minmax"; returns false for anything else.
bool parse_scaling(std::string_view text, Scaling& out);
inline std::string_view to_string(Scaling scaling) { return name_of(kScalingNames, scaling); }

struct PrepOptions {
  std::vector<Index> log1p_columns;     ///< columns transformed by log1p before scaling
  Scaling scaling = Scaling::standard;  ///< scaler applied to every column after log1p
};

/// A fitted preprocessing: apply() maps raw features to the clustering space.
struct PrepModel {
  std::vector<Index> log1p_columns;
  Vector center;                        ///< subtracted per column after log1p
  Vector scale;                         ///< divided per column (1 for constant columns)
  std::vector<Index> constant_columns;  ///< columns with zero spread (kept, scaled by 1)

  Matrix apply(MatrixView raw) const;
};

/// Fits the preprocessing on `raw`. Throws InputError when log1p meets a value
/// <= -1 (names row and column index).
PrepModel fit_preprocess(MatrixView raw, const PrepOptions& options);

}  // namespace cb::prep
