// `cpc product create|show|list`: products, their limits and release
// specifications. Versioned: a batch keeps the version it was made under.
#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "client/choices.h"
#include "client/commands.h"
#include "client/format.h"
#include "client/readiness_format.h"
#include "client/time_format.h"
#include "client/status_util.h"
#include "client/table.h"
#include "client/values.h"

namespace cpc {
namespace {

namespace v1 = ::cpctrack::v1;
using Inventory = v1::InventoryService::Stub;

void AddProductRow(const v1::Product& product, Table* table) {
  table->AddRow({product.product_code(), absl::StrCat("v", product.version()), product.name(),
                 FormatHours(FromProto(product.max_processing_delay())),
                 absl::StrCat("P", product.max_passage()),
                 FormatDecimal(product.max_cumulative_population_doublings(), 1)});
  const std::string spec = ReleaseSpecText(product);
  if (!spec.empty()) table->AddNote(spec);
}

Table ProductTable() {
  Table table({"product", "version", "name", "max processing delay", "max passage",
               "max cum PD"});
  table.AlignRight(1);
  table.AlignRight(4);
  table.AlignRight(5);
  return table;
}

// "final result", "interim >= 72 h, final followed after release".
std::string ReleaseBasisText(const v1::RequiredTest& test) {
  if (test.release_basis() != v1::RELEASE_BASIS_INTERIM_READING) return "final result";
  return absl::StrCat("interim >= ", FormatHours(FromProto(test.min_interim())),
                      ", final followed after release");
}

std::string PointsText(const v1::RequiredTest& test) {
  auto names = [](const google::protobuf::RepeatedField<int>& points) {
    std::vector<std::string> out;
    for (int p : points) {
      out.push_back(ChoiceText(SamplePointChoices(), static_cast<v1::SamplePoint>(p)));
    }
    return absl::StrJoin(out, ", ");
  };
  std::string text = names(test.sample_points());
  if (!test.follow_up_points().empty()) {
    absl::StrAppend(&text, "; followed: ", names(test.follow_up_points()));
  }
  return text;
}

void PrintProduct(const v1::Product& product, const Invocation& in) {
  in.out << "product                 " << product.product_code() << " v" << product.version()
         << "\n"
         << "name                    " << product.name() << "\n"
         << "max processing delay    " << FormatHours(FromProto(product.max_processing_delay()))
         << "\n"
         << "max passage             P" << product.max_passage() << "\n"
         << "max cumulative PD       "
         << FormatDecimal(product.max_cumulative_population_doublings(), 1) << "\n"
         << "\nRelease specification\n"
         << "  min viability            " << FormatPercent(product.min_viability_percent())
         << "\n"
         << "  min post-thaw viability  "
         << FormatPercent(product.min_post_thaw_viability_percent()) << "\n"
         << "  max endotoxin            " << FormatDecimal(product.max_endotoxin_eu_per_ml(), 3)
         << " EU/mL\n"
         << "  min viable cells/dose    " << FormatCount(product.min_viable_cells_per_dose())
         << "\n"
         << "  fresh shelf life         "
         << (product.has_fresh_shelf_life() ? FormatHours(FromProto(product.fresh_shelf_life()))
                                            : "-")
         << "\n"
         << "  frozen shelf life        "
         << (product.has_frozen_shelf_life() ? FormatDays(FromProto(product.frozen_shelf_life()))
                                             : "-")
         << "\n"
         << "  thaw to infusion         "
         << (product.has_max_thaw_to_infusion()
                 ? absl::StrCat("<= ", FormatHours(FromProto(product.max_thaw_to_infusion())))
                 : "-")
         << "\n"
         << "\nRecords\n"
         << "  late entry after         "
         << (product.has_max_entry_delay() ? FormatHours(FromProto(product.max_entry_delay()))
                                           : "-")
         << "\n"
         << "  tissue transport         "
         << FormatDecimal(product.min_transport_temperature_c(), 1) << " to "
         << FormatDecimal(product.max_transport_temperature_c(), 1) << " C\n";
  if (!product.required_tests().empty()) {
    Table tests({"required test", "method", "min incubation", "release on", "sample points"});
    tests.AlignRight(2);
    for (const v1::RequiredTest& test : product.required_tests()) {
      tests.AddRow({ChoiceText(QcTestTypeChoices(), test.type()),
                    test.method().empty() ? "(any)" : test.method(),
                    FormatHours(FromProto(test.min_incubation())), ReleaseBasisText(test),
                    PointsText(test)});
    }
    in.out << "\n" << tests.Render(2);
  }
  if (!product.marker_limits().empty()) {
    Table markers({"marker", "min", "max"});
    markers.AlignRight(1);
    markers.AlignRight(2);
    for (const v1::MarkerLimit& marker : product.marker_limits()) {
      markers.AddRow({marker.marker(), FormatPercent(marker.min_percent()),
                      FormatPercent(marker.max_percent())});
    }
    in.out << "\n" << markers.Render(2);
  }
}

absl::Status RunProductList(Invocation& in) {
  v1::ListProductsResponse response;
  CPC_RETURN_IF_ERROR(
      in.conn.Call(&Inventory::ListProducts, v1::ListProductsRequest(), &response));
  if (in.json) return PrintJson(response, in.out);
  Table table = ProductTable();
  for (const v1::Product& product : response.products()) AddProductRow(product, &table);
  in.out << (table.empty() ? "No products.\n" : table.Render());
  return absl::OkStatus();
}

// There is no GetProduct: the list holds every version, and show picks one.
absl::Status RunProductShow(Invocation& in) {
  v1::ListProductsResponse response;
  CPC_RETURN_IF_ERROR(
      in.conn.Call(&Inventory::ListProducts, v1::ListProductsRequest(), &response));
  int32_t wanted = 0;
  if (in.args.Given("version")) {
    CPC_ASSIGN_OR_RETURN(wanted, SmallCountFlag(in.args, "version"));
  }
  const v1::Product* found = nullptr;
  for (const v1::Product& product : response.products()) {
    if (product.product_code() != in.args.Get("CODE")) continue;
    if (wanted != 0 ? product.version() == wanted
                    : found == nullptr || product.version() > found->version()) {
      found = &product;
    }
  }
  if (found == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("no product ", in.args.Get("CODE"),
                     wanted != 0 ? absl::StrCat(" version ", wanted) : "", " (see cpc product list)"));
  }
  if (in.json) return PrintJson(*found, in.out);
  PrintProduct(*found, in);
  return absl::OkStatus();
}

absl::StatusOr<double> PositiveFlag(const ParsedArgs& args, absl::string_view flag,
                                       double max = INFINITY) {
  CPC_ASSIGN_OR_RETURN(double value, NumberFlag(args, flag));
  if (value <= 0 || value > max) {
    return UsageError(absl::StrCat("--", flag, ": \"", args.Get(flag), "\" must be more than 0",
                                   std::isinf(max) ? "" : absl::StrCat(" and at most ", max)));
  }
  return value;
}

void SetHours(double hours, google::protobuf::Duration* duration) {
  ToProto(absl::Seconds(std::llround(hours * 3600)), duration);
}

// "14d", "336", "72h" -> hours.
absl::StatusOr<double> ParseIncubationHours(const std::string& text, absl::string_view rule) {
  std::string number = text;
  double scale = 1;
  if (absl::EndsWith(number, "d")) {
    scale = 24;
    number.pop_back();
  } else if (absl::EndsWith(number, "h")) {
    number.pop_back();
  }
  double hours = 0;
  if (!absl::SimpleAtod(number, &hours) || !(hours * scale > 0)) return UsageError(rule);
  return hours * scale;
}

// "passage+final-harvest" -> sample points ('+': a comma separates flag values).
absl::Status ParsePoints(const std::string& list, const std::string& rule,
                         google::protobuf::RepeatedField<int>* out) {
  for (absl::string_view name : absl::StrSplit(list, '+')) {
    const v1::SamplePoint point = ChoiceValue(SamplePointChoices(), std::string(name));
    if (point == v1::SAMPLE_POINT_UNSPECIFIED) {
      return UsageError(absl::StrCat(rule, "; sample points are ",
                                     absl::StrJoin(ChoiceTexts(SamplePointChoices()), ", ")));
    }
    out->Add(point);
  }
  return absl::OkStatus();
}

// TYPE[:INCUBATION][:KEY=VALUE...], e.g. "sterility:14d:method=USP <71> culture"
// or "sterility:14d:basis=interim:interim=72:points=passage:follow=final-product".
absl::StatusOr<v1::RequiredTest> ParseRequiredTest(const std::string& text) {
  std::vector<std::string> parts = absl::StrSplit(text, ':');
  const v1::QcTestType type =
      parts.empty() ? v1::QC_TEST_TYPE_UNSPECIFIED : ChoiceValue(QcTestTypeChoices(), parts[0]);
  const std::string rule = absl::StrCat(
      "--required-test: \"", text,
      "\" must be TYPE[:INCUBATION][:method=METHOD][:basis=final|interim][:interim=HOURS]"
      "[:points=POINT+...][:follow=POINT+...] with TYPE one of ",
      absl::StrJoin(ChoiceTexts(QcTestTypeChoices()), ", "),
      " and INCUBATION in hours or days (336, 14d), e.g. sterility:14d:method=USP <71> culture");
  if (type == v1::QC_TEST_TYPE_UNSPECIFIED) return UsageError(rule);
  v1::RequiredTest test;
  test.set_type(type);
  bool incubation_given = false;
  for (size_t i = 1; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    if (absl::StartsWith(part, "method=")) {
      test.set_method(part.substr(7));
    } else if (absl::StartsWith(part, "basis=")) {
      const std::string basis = part.substr(6);
      if (basis == "final") {
        test.set_release_basis(v1::RELEASE_BASIS_FINAL_RESULT);
      } else if (basis == "interim") {
        test.set_release_basis(v1::RELEASE_BASIS_INTERIM_READING);
      } else {
        return UsageError(absl::StrCat(rule, "; basis is final or interim"));
      }
    } else if (absl::StartsWith(part, "interim=")) {
      CPC_ASSIGN_OR_RETURN(double hours, ParseIncubationHours(part.substr(8), rule));
      SetHours(hours, test.mutable_min_interim());
    } else if (absl::StartsWith(part, "points=")) {
      CPC_RETURN_IF_ERROR(ParsePoints(part.substr(7), rule, test.mutable_sample_points()));
    } else if (absl::StartsWith(part, "follow=")) {
      CPC_RETURN_IF_ERROR(ParsePoints(part.substr(7), rule, test.mutable_follow_up_points()));
    } else if (absl::StartsWith(part, "incubation=") || !incubation_given) {
      const std::string value =
          absl::StartsWith(part, "incubation=") ? part.substr(11) : part;
      CPC_ASSIGN_OR_RETURN(double hours, ParseIncubationHours(value, rule));
      SetHours(hours, test.mutable_min_incubation());
      incubation_given = true;
    } else {
      return UsageError(rule);
    }
  }
  return test;
}

// "CD73:95:100" -> marker, min and max percent.
absl::StatusOr<v1::MarkerLimit> ParseMarker(const std::string& text) {
  std::vector<std::string> parts = absl::StrSplit(text, ':');
  const std::string rule = absl::StrCat("--marker: \"", text,
                                        "\" must be MARKER:MIN_PERCENT:MAX_PERCENT, e.g. "
                                        "CD73:95:100 or CD45:0:2");
  if (parts.size() != 3 || parts[0].empty()) return UsageError(rule);
  CPC_ASSIGN_OR_RETURN(double min, ParseNumber("--marker", parts[1]));
  CPC_ASSIGN_OR_RETURN(double max, ParseNumber("--marker", parts[2]));
  if (min < 0 || max > 100 || min > max) {
    return UsageError(absl::StrCat(rule, "; 0 <= MIN <= MAX <= 100"));
  }
  v1::MarkerLimit marker;
  marker.set_marker(parts[0]);
  marker.set_min_percent(min);
  marker.set_max_percent(max);
  return marker;
}

// Flags left out stay unset (0): the server copies them from the latest version.
absl::Status RunProductCreate(Invocation& in) {
  v1::CreateProductRequest request;
  request.set_request_id(in.conn.RequestId());
  v1::Product& product = *request.mutable_product();
  product.set_product_code(in.args.Get("CODE"));
  product.set_name(in.args.Get("name"));
  const ParsedArgs& args = in.args;
  if (args.Given("max-passage")) {
    CPC_ASSIGN_OR_RETURN(int32_t passage, SmallCountFlag(args, "max-passage"));
    product.set_max_passage(passage);
  }
  // Limits that are plain positive numbers, and those typed in hours.
  struct NumberLimit {
    const char* flag;
    double max;
    void (v1::Product::*set)(double);
  };
  for (const NumberLimit& limit : {
           NumberLimit{"max-pd", INFINITY, &v1::Product::set_max_cumulative_population_doublings},
           NumberLimit{"min-viability", 100, &v1::Product::set_min_viability_percent},
           NumberLimit{"min-post-thaw-viability", 100,
                       &v1::Product::set_min_post_thaw_viability_percent},
           NumberLimit{"max-endotoxin", INFINITY, &v1::Product::set_max_endotoxin_eu_per_ml}}) {
    if (!args.Given(limit.flag)) continue;
    CPC_ASSIGN_OR_RETURN(double value, PositiveFlag(args, limit.flag, limit.max));
    (product.*limit.set)(value);
  }
  struct HoursLimit {
    const char* flag;
    google::protobuf::Duration* (v1::Product::*mutable_duration)();
    double hours_per_unit;
  };
  for (const HoursLimit& limit :
       {HoursLimit{"max-processing-hours", &v1::Product::mutable_max_processing_delay, 1},
        HoursLimit{"fresh-shelf-life-hours", &v1::Product::mutable_fresh_shelf_life, 1},
        HoursLimit{"frozen-shelf-life-days", &v1::Product::mutable_frozen_shelf_life, 24},
        HoursLimit{"thaw-window-hours", &v1::Product::mutable_max_thaw_to_infusion, 1},
        HoursLimit{"late-entry-hours", &v1::Product::mutable_max_entry_delay, 1}}) {
    if (!args.Given(limit.flag)) continue;
    CPC_ASSIGN_OR_RETURN(double value, PositiveFlag(args, limit.flag));
    SetHours(value * limit.hours_per_unit, (product.*limit.mutable_duration)());
  }
  if (args.Given("transport-temperature")) {
    const std::string text = args.Get("transport-temperature");
    std::vector<std::string> range = absl::StrSplit(text, absl::MaxSplits(':', 1));
    double min = 0, max = 0;
    if (range.size() != 2 || !absl::SimpleAtod(range[0], &min) ||
        !absl::SimpleAtod(range[1], &max) || min > max) {
      return UsageError(absl::StrCat("--transport-temperature: \"", text,
                                     "\" must be MIN:MAX in C with MIN <= MAX, e.g. 2:8"));
    }
    product.set_min_transport_temperature_c(min);
    product.set_max_transport_temperature_c(max);
  }
  if (args.Given("min-cells-per-dose")) {
    CPC_ASSIGN_OR_RETURN(int64_t cells, CountFlag(args, "min-cells-per-dose"));
    product.set_min_viable_cells_per_dose(cells);
  }
  for (const std::string& text : args.GetList("required-test")) {
    CPC_ASSIGN_OR_RETURN(*product.add_required_tests(), ParseRequiredTest(text));
  }
  for (const std::string& text : args.GetList("marker")) {
    CPC_ASSIGN_OR_RETURN(*product.add_marker_limits(), ParseMarker(text));
  }
  v1::Product created;
  CPC_RETURN_IF_ERROR(in.conn.Call(&Inventory::CreateProduct, request, &created));
  if (in.json) return PrintJson(created, in.out);
  in.out << "Created product " << created.product_code() << " v" << created.version()
         << " (batches keep the version they were made under)\n\n";
  PrintProduct(created, in);
  return absl::OkStatus();
}

}  // namespace

std::vector<CommandSpec> ProductCommands() {
  return {
      {.noun = "product", .verb = "create",
       .summary = "Add the next version of a product and its release specification (flags "
                  "left out are copied from the latest version)",
       .args = {{.name = "CODE", .help = "product code, e.g. MSC-01"}},
       .flags = {{.name = "name", .value_name = "NAME", .help = "what the product is"},
                 {.name = "max-passage", .value_name = "N", .help = "last passage allowed"},
                 {.name = "max-pd", .value_name = "X",
                  .help = "most cumulative population doublings"},
                 {.name = "max-processing-hours", .value_name = "H",
                  .help = "longest delay from tissue collection to processing"},
                 {.name = "min-viability", .value_name = "PCT",
                  .help = "release: least viability at harvest, percent"},
                 {.name = "min-post-thaw-viability", .value_name = "PCT",
                  .help = "release: least viability after thawing, percent"},
                 {.name = "max-endotoxin", .value_name = "EU",
                  .help = "release: most endotoxin, EU/mL"},
                 {.name = "min-cells-per-dose", .value_name = "N",
                  .help = "release: least viable cells in one dose, e.g. 1e8"},
                 {.name = "fresh-shelf-life-hours", .value_name = "H",
                  .help = "fresh product at 2-8 C: hours from the final harvest"},
                 {.name = "required-test",
                  .value_name = "TYPE[:INCUBATION][:method=M][:basis=final|interim]"
                                "[:interim=H][:points=P+P][:follow=P+P]",
                  .help = "a release test, its minimum incubation (hours, or days with d) "
                          "and method, e.g. sterility:14d:method=USP <71> culture; left "
                          "out, the incubation is DOMAIN.md's (sterility 14 d, mycoplasma "
                          "24 h). basis=interim releases on a no-growth reading at least "
                          "interim=H after the start, the final result of a test at follow= "
                          "points (default final-product) followed after release; points= "
                          "the sample points that count (default final-harvest+final-product) "
                          "(given: replaces the list)",
                  .repeated = true},
                 {.name = "frozen-shelf-life-days", .value_name = "D",
                  .help = "cryopreserved units expire this long after the freeze"},
                 {.name = "thaw-window-hours", .value_name = "H",
                  .help = "longest time from thaw to the start of infusion"},
                 {.name = "late-entry-hours", .value_name = "H",
                  .help = "a step written down later than this needs a late-entry reason"},
                 {.name = "transport-temperature", .value_name = "MIN:MAX",
                  .help = "tissue transport range in C, e.g. 2:8; outside it, an excursion"},
                 {.name = "marker", .value_name = "MARKER:MIN:MAX",
                  .help = "a flow marker's range in percent, e.g. CD73:95:100 (given: "
                          "replaces the list)",
                  .repeated = true}},
       .example = "cpc product create MSC-01 --min-viability 70 --max-endotoxin 0.5 "
                  "--min-cells-per-dose 1e8 --required-test sterility:14d,mycoplasma:24 "
                  "--marker CD73:80:100 --marker CD45:0:2",
       .run = RunProductCreate},
      {.noun = "product", .verb = "show",
       .summary = "Show a product's limits and release specification (the latest version)",
       .args = {{.name = "CODE", .help = "product code, e.g. MSC-01"}},
       .flags = {{.name = "version", .value_name = "N", .help = "an earlier version"}},
       .example = "cpc product show MSC-01", .run = RunProductShow},
      {.noun = "product", .verb = "list",
       .summary = "List products, their limits and release specifications",
       .example = "cpc product list", .run = RunProductList},
  };
}

}  // namespace cpc
