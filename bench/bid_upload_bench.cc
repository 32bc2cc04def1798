// bid_upload_bench: benchmarks (b) and (c) of issue 4 against a running
// bidopend (bench/README.md). Prints `name value unit` lines; lines starting
// with '#' are context. Run it through bench/run_bids.sh.
#include "bench/bid_ingest.h"
#include "bench/bid_options.h"
#include "bench/bid_surge.h"

int main(int argc, char** argv) {
  using namespace bidopen::bench;
  const BidOptions o = ParseBidOptions(argc, argv);
  if (o.only.empty() || o.only == "ingest") RunIngestBench(o);
  if (o.only.empty() || o.only == "surge") RunSurgeBench(o);
  return 0;
}
