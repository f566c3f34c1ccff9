#pragma once
// Everything of the rfm domain layer (docs/rfm.md).
#include "clusterbench/rfm/aggregate.hpp"
#include "clusterbench/rfm/cleaning.hpp"
#include "clusterbench/rfm/features.hpp"
#include "clusterbench/rfm/migration.hpp"
#include "clusterbench/rfm/pipeline.hpp"
#include "clusterbench/rfm/profiles.hpp"
#include "clusterbench/rfm/scores.hpp"
#include "clusterbench/rfm/segments.hpp"
