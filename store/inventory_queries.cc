// Transaction: reagent lots, equipment and products.
#include "absl/strings/str_cat.h"
#include "domain/status_macros.h"
#include "store/paging.h"
#include "store/store.h"

namespace cpctrack::store {
namespace {

using domain::Equipment;
using domain::Product;
using domain::ReagentLot;

constexpr char kLotColumns[] =
    "lot_number, name, manufacturer, expiry_date, created_at, created_by";

// The lot with QA's latest decision (none: QUARANTINE).
constexpr char kLotQuery[] =
    "SELECT l.lot_number, l.name, l.manufacturer, l.expiry_date, l.created_at, l.created_by, "
    "  d.status, d.certificate, d.reason, d.decided_by, d.decided_at "
    "FROM reagent_lots l LEFT JOIN lot_decisions d ON d.decision_id = ("
    "  SELECT MAX(decision_id) FROM lot_decisions WHERE lot_number = l.lot_number) ";

absl::StatusOr<ReagentLot> LotFromRow(const Statement& row) {
  ReagentLot lot;
  lot.lot_number = row.Text(0);
  lot.name = row.Text(1);
  lot.manufacturer = row.Text(2);
  ASSIGN_OR_RETURN(lot.expiry_day, domain::ParseDate("expiry_date", row.Text(3)));
  lot.created_at = row.Time(4);
  lot.created_by = row.Text(5);
  if (!row.IsNull(6)) {
    lot.status = static_cast<domain::LotStatus>(row.Int(6));
    lot.certificate = row.Text(7);
    lot.status_reason = row.Text(8);
    lot.decided_by = row.Text(9);
    lot.decided_at = row.Time(10);
  }
  return lot;
}

// The equipment row with its latest status change and the next due day of
// its latest calibration and maintenance (by when performed).
constexpr char kEquipmentQuery[] =
    "SELECT e.equipment_id, e.kind, e.name, e.created_at, e.created_by, s.status, s.reason, "
    "  e.calibration_required, "
    "  (SELECT next_due FROM equipment_upkeep WHERE equipment_id = e.equipment_id AND kind = 1 "
    "   ORDER BY performed_at DESC, record_id DESC LIMIT 1), "
    "  (SELECT next_due FROM equipment_upkeep WHERE equipment_id = e.equipment_id AND kind = 2 "
    "   ORDER BY performed_at DESC, record_id DESC LIMIT 1) "
    "FROM equipment e JOIN equipment_status_changes s ON s.change_id = ("
    "  SELECT MAX(change_id) FROM equipment_status_changes WHERE equipment_id = e.equipment_id) ";

// A stored due day (NULL: none on record).
absl::StatusOr<std::optional<absl::CivilDay>> DueAt(const Statement& row, int column) {
  if (row.IsNull(column)) return std::nullopt;
  ASSIGN_OR_RETURN(absl::CivilDay day, domain::ParseDate("next_due", row.Text(column)));
  return day;
}

absl::StatusOr<Equipment> EquipmentFromRow(const Statement& row) {
  Equipment e;
  e.equipment_id = row.Text(0);
  e.kind = static_cast<domain::EquipmentKind>(row.Int(1));
  e.name = row.Text(2);
  e.created_at = row.Time(3);
  e.created_by = row.Text(4);
  e.status = static_cast<domain::EquipmentStatus>(row.Int(5));
  e.status_reason = row.Text(6);
  e.calibration_required = row.Int(7) != 0;
  ASSIGN_OR_RETURN(e.calibration_due, DueAt(row, 8));
  ASSIGN_OR_RETURN(e.maintenance_due, DueAt(row, 9));
  return e;
}

constexpr char kProductColumns[] =
    "product_code, version, name, max_processing_delay_s, max_passage, max_cumulative_pd";

Product ProductFromRow(const Statement& row) {
  Product p;
  p.product_code = row.Text(0);
  p.version = static_cast<int>(row.Int(1));
  p.name = row.Text(2);
  p.max_processing_delay = absl::Seconds(row.Int(3));
  p.max_passage = static_cast<int>(row.Int(4));
  p.max_cumulative_population_doublings = row.Double(5);
  return p;
}

}  // namespace

absl::Status Transaction::InsertReagentLot(const ReagentLot& lot) {
  ASSIGN_OR_RETURN(Statement exists,
                   db_.Prepare("SELECT 1 FROM reagent_lots WHERE lot_number = ?"));
  exists.Bind(1, lot.lot_number);
  ASSIGN_OR_RETURN(bool found, exists.Step());
  if (found) {
    return absl::AlreadyExistsError(
        absl::StrCat("lot_number: lot ", lot.lot_number, " is already registered"));
  }
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare(absl::StrCat("INSERT INTO reagent_lots (", kLotColumns,
                                            ") VALUES (?,?,?,?,?,?)")));
  insert.Bind(1, lot.lot_number)
      .Bind(2, lot.name)
      .Bind(3, lot.manufacturer)
      .Bind(4, domain::FormatDate(lot.expiry_day))
      .Bind(5, lot.created_at)
      .Bind(6, lot.created_by);
  return insert.Run();
}

absl::StatusOr<ReagentLot> Transaction::GetReagentLot(absl::string_view lot_number) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare(absl::StrCat(kLotQuery, "WHERE l.lot_number = ?")));
  q.Bind(1, lot_number);
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("lot_number: reagent lot \"", lot_number, "\" is not registered"));
  }
  return LotFromRow(q);
}

absl::StatusOr<Page<ReagentLot>> Transaction::ListReagentLots(absl::string_view after_key,
                                                               int limit) {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare(absl::StrCat(
                                    kLotQuery,
                                    "WHERE l.lot_number > ? ORDER BY l.lot_number LIMIT ?")));
  q.Bind(1, after_key).Bind(2, limit + 1);
  return ReadPage<ReagentLot>(q, limit, LotFromRow,
                              [](const Statement& row) { return row.Text(0); });
}

absl::Status Transaction::InsertLotDecision(const domain::LotDecision& d) {
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO lot_decisions (lot_number, status, certificate, "
                               "reason, decided_at, decided_by) VALUES (?,?,?,?,?,?)"));
  insert.Bind(1, d.lot_number)
      .Bind(2, static_cast<int>(d.status))
      .Bind(3, d.certificate)
      .Bind(4, d.reason)
      .Bind(5, d.decided_at)
      .Bind(6, d.decided_by);
  return insert.Run();
}

absl::Status Transaction::InsertEquipment(const Equipment& e) {
  ASSIGN_OR_RETURN(Statement exists,
                   db_.Prepare("SELECT 1 FROM equipment WHERE equipment_id = ?"));
  exists.Bind(1, e.equipment_id);
  ASSIGN_OR_RETURN(bool found, exists.Step());
  if (found) {
    return absl::AlreadyExistsError(
        absl::StrCat("equipment_id: ", e.equipment_id, " is already registered"));
  }
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO equipment (equipment_id, kind, name, created_at, "
                               "created_by, calibration_required) VALUES (?,?,?,?,?,?)"));
  insert.Bind(1, e.equipment_id)
      .Bind(2, static_cast<int>(e.kind))
      .Bind(3, e.name)
      .Bind(4, e.created_at)
      .Bind(5, e.created_by)
      .Bind(6, e.calibration_required ? 1 : 0);
  RETURN_IF_ERROR(insert.Run());
  return InsertEquipmentStatus(e.equipment_id, e.status, e.status_reason, e.created_at,
                               e.created_by);
}

absl::Status Transaction::InsertEquipmentStatus(absl::string_view equipment_id,
                                                domain::EquipmentStatus status,
                                                absl::string_view reason, absl::Time at,
                                                absl::string_view by) {
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO equipment_status_changes (equipment_id, status, "
                               "reason, changed_at, changed_by) VALUES (?,?,?,?,?)"));
  insert.Bind(1, equipment_id)
      .Bind(2, static_cast<int>(status))
      .Bind(3, reason)
      .Bind(4, at)
      .Bind(5, by);
  return insert.Run();
}

absl::StatusOr<Equipment> Transaction::GetEquipment(absl::string_view equipment_id) {
  ASSIGN_OR_RETURN(Statement q,
                   db_.Prepare(absl::StrCat(kEquipmentQuery, "WHERE e.equipment_id = ?")));
  q.Bind(1, equipment_id);
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("equipment_id: equipment \"", equipment_id, "\" is not registered"));
  }
  return EquipmentFromRow(q);
}

absl::Status Transaction::InsertUpkeepRecord(domain::UpkeepRecord& record) {
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare("INSERT INTO equipment_upkeep (equipment_id, kind, performed_at, "
                               "next_due, certificate, recorded_at, recorded_by) "
                               "VALUES (?,?,?,?,?,?,?)"));
  insert.Bind(1, record.equipment_id)
      .Bind(2, static_cast<int>(record.kind))
      .Bind(3, record.performed_at)
      .Bind(4, domain::FormatDate(record.next_due))
      .Bind(5, record.certificate)
      .Bind(6, record.recorded_at)
      .Bind(7, record.recorded_by);
  RETURN_IF_ERROR(insert.Run());
  record.record_id = db_.LastInsertRowId();
  return absl::OkStatus();
}

absl::StatusOr<Page<Equipment>> Transaction::ListEquipment(absl::string_view after_key,
                                                            int limit) {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare(absl::StrCat(
                                    kEquipmentQuery,
                                    "WHERE e.equipment_id > ? ORDER BY e.equipment_id LIMIT ?")));
  q.Bind(1, after_key).Bind(2, limit + 1);
  return ReadPage<Equipment>(q, limit, EquipmentFromRow,
                             [](const Statement& row) { return row.Text(0); });
}

absl::Status Transaction::InsertProduct(const Product& p, absl::Time at) {
  ASSIGN_OR_RETURN(Statement insert,
                   db_.Prepare(absl::StrCat("INSERT INTO products (", kProductColumns,
                                            ", created_at) VALUES (?,?,?,?,?,?,?)")));
  insert.Bind(1, p.product_code)
      .Bind(2, p.version)
      .Bind(3, p.name)
      .Bind(4, absl::ToInt64Seconds(p.max_processing_delay))
      .Bind(5, p.max_passage)
      .Bind(6, p.max_cumulative_population_doublings)
      .Bind(7, at);
  RETURN_IF_ERROR(insert.Run());
  ASSIGN_OR_RETURN(Statement spec,
                   db_.Prepare("INSERT INTO product_qc_specs (product_code, version, "
                               "min_viability_percent, min_post_thaw_viability_percent, "
                               "max_endotoxin_eu_per_ml) VALUES (?,?,?,?,?)"));
  spec.Bind(1, p.product_code)
      .Bind(2, p.version)
      .Bind(3, p.qc.min_viability_percent)
      .Bind(4, p.qc.min_post_thaw_viability_percent)
      .Bind(5, p.qc.max_endotoxin_eu_per_ml);
  RETURN_IF_ERROR(spec.Run());
  for (const domain::MarkerLimit& m : p.qc.markers) {
    ASSIGN_OR_RETURN(Statement marker,
                     db_.Prepare("INSERT INTO product_marker_limits (product_code, version, "
                                 "marker, min_percent, max_percent) VALUES (?,?,?,?,?)"));
    marker.Bind(1, p.product_code)
        .Bind(2, p.version)
        .Bind(3, m.marker)
        .Bind(4, m.min_percent)
        .Bind(5, m.max_percent);
    RETURN_IF_ERROR(marker.Run());
  }
  ASSIGN_OR_RETURN(Statement release,
                   db_.Prepare("INSERT INTO product_release_specs (product_code, version, "
                               "min_viable_cells_per_dose, fresh_shelf_life_s) VALUES (?,?,?,?)"));
  release.Bind(1, p.product_code)
      .Bind(2, p.version)
      .Bind(3, p.min_viable_cells_per_dose)
      .Bind(4, absl::ToInt64Seconds(p.fresh_shelf_life));
  RETURN_IF_ERROR(release.Run());
  if (!p.isbt_product_description_code.empty()) {
    ASSIGN_OR_RETURN(Statement code,
                     db_.Prepare("INSERT INTO product_isbt_codes (product_code, version, "
                                 "product_description_code) VALUES (?,?,?)"));
    code.Bind(1, p.product_code).Bind(2, p.version).Bind(3, p.isbt_product_description_code);
    RETURN_IF_ERROR(code.Run());
  }
  int requirement = 0;
  for (const domain::RequiredTest& t : p.required_tests) {
    ASSIGN_OR_RETURN(Statement test,
                     db_.Prepare("INSERT INTO product_required_tests (product_code, version, "
                                 "requirement, test_type, method, min_incubation_s) "
                                 "VALUES (?,?,?,?,?,?)"));
    test.Bind(1, p.product_code)
        .Bind(2, p.version)
        .Bind(3, ++requirement)
        .Bind(4, static_cast<int>(t.type))
        .Bind(5, t.method)
        .Bind(6, absl::ToInt64Seconds(t.min_incubation));
    RETURN_IF_ERROR(test.Run());
    RETURN_IF_ERROR(InsertReleaseBasis(p, requirement, t));
  }
  ASSIGN_OR_RETURN(
      Statement handling,
      db_.Prepare("INSERT INTO product_handling_specs (product_code, version, "
                  "frozen_shelf_life_s, max_thaw_to_infusion_s, max_entry_delay_s, "
                  "min_transport_temperature_c, max_transport_temperature_c) "
                  "VALUES (?,?,?,?,?,?,?)"));
  handling.Bind(1, p.product_code)
      .Bind(2, p.version)
      .Bind(3, absl::ToInt64Seconds(p.frozen_shelf_life))
      .Bind(4, absl::ToInt64Seconds(p.max_thaw_to_infusion))
      .Bind(5, absl::ToInt64Seconds(p.max_entry_delay))
      .Bind(6, p.min_transport_temperature_c)
      .Bind(7, p.max_transport_temperature_c);
  return handling.Run();
}

absl::Status Transaction::InsertReleaseBasis(const Product& p, int requirement,
                                             const domain::RequiredTest& t) {
  if (t.basis != domain::ReleaseBasis::kFinalResult) {
    ASSIGN_OR_RETURN(Statement basis,
                     db_.Prepare("INSERT INTO product_required_test_bases (product_code, "
                                 "version, requirement, basis, min_interim_s) VALUES (?,?,?,?,?)"));
    basis.Bind(1, p.product_code)
        .Bind(2, p.version)
        .Bind(3, requirement)
        .Bind(4, static_cast<int>(t.basis))
        .Bind(5, absl::ToInt64Seconds(t.min_interim));
    RETURN_IF_ERROR(basis.Run());
  }
  for (int role : {1, 2}) {
    for (domain::SamplePoint point : role == 1 ? t.sample_points : t.follow_up_points) {
      ASSIGN_OR_RETURN(Statement q, db_.Prepare("INSERT INTO product_required_test_points "
                                                "(product_code, version, requirement, role, "
                                                "sample_point) VALUES (?,?,?,?,?)"));
      q.Bind(1, p.product_code)
          .Bind(2, p.version)
          .Bind(3, requirement)
          .Bind(4, role)
          .Bind(5, static_cast<int>(point));
      RETURN_IF_ERROR(q.Run());
    }
  }
  return absl::OkStatus();
}

// The basis and sample points of each requirement of `p` (loaded in
// requirement order, so requirement N is required_tests[N - 1]).
absl::Status Transaction::LoadReleaseBases(Product& p) {
  ASSIGN_OR_RETURN(Statement bases,
                   db_.Prepare("SELECT requirement, basis, min_interim_s FROM "
                               "product_required_test_bases WHERE product_code = ? AND "
                               "version = ?"));
  bases.Bind(1, p.product_code).Bind(2, p.version);
  while (true) {
    ASSIGN_OR_RETURN(bool row, bases.Step());
    if (!row) break;
    const int64_t n = bases.Int(0);
    if (n < 1 || n > static_cast<int64_t>(p.required_tests.size())) continue;
    p.required_tests[n - 1].basis = static_cast<domain::ReleaseBasis>(bases.Int(1));
    p.required_tests[n - 1].min_interim = absl::Seconds(bases.Int(2));
  }
  ASSIGN_OR_RETURN(Statement points,
                   db_.Prepare("SELECT requirement, role, sample_point FROM "
                               "product_required_test_points WHERE product_code = ? AND "
                               "version = ? ORDER BY requirement, role, rowid"));
  points.Bind(1, p.product_code).Bind(2, p.version);
  while (true) {
    ASSIGN_OR_RETURN(bool row, points.Step());
    if (!row) break;
    const int64_t n = points.Int(0);
    if (n < 1 || n > static_cast<int64_t>(p.required_tests.size())) continue;
    domain::RequiredTest& t = p.required_tests[n - 1];
    (points.Int(1) == 1 ? t.sample_points : t.follow_up_points)
        .push_back(static_cast<domain::SamplePoint>(points.Int(2)));
  }
  return absl::OkStatus();
}

absl::Status Transaction::LoadSpecification(Product& p) {
  ASSIGN_OR_RETURN(Statement spec,
                   db_.Prepare("SELECT min_viability_percent, min_post_thaw_viability_percent, "
                               "max_endotoxin_eu_per_ml FROM product_qc_specs "
                               "WHERE product_code = ? AND version = ?"));
  spec.Bind(1, p.product_code).Bind(2, p.version);
  ASSIGN_OR_RETURN(bool found, spec.Step());
  if (found) {
    p.qc.min_viability_percent = spec.Double(0);
    p.qc.min_post_thaw_viability_percent = spec.Double(1);
    p.qc.max_endotoxin_eu_per_ml = spec.Double(2);
  }
  ASSIGN_OR_RETURN(Statement markers,
                   db_.Prepare("SELECT marker, min_percent, max_percent FROM "
                               "product_marker_limits WHERE product_code = ? AND version = ? "
                               "ORDER BY rowid"));
  markers.Bind(1, p.product_code).Bind(2, p.version);
  p.qc.markers.clear();
  while (true) {
    ASSIGN_OR_RETURN(bool row, markers.Step());
    if (!row) break;
    p.qc.markers.push_back({markers.Text(0), markers.Double(1), markers.Double(2)});
  }
  ASSIGN_OR_RETURN(Statement release,
                   db_.Prepare("SELECT min_viable_cells_per_dose, fresh_shelf_life_s FROM "
                               "product_release_specs WHERE product_code = ? AND version = ?"));
  release.Bind(1, p.product_code).Bind(2, p.version);
  ASSIGN_OR_RETURN(bool has_release, release.Step());
  if (has_release) {
    p.min_viable_cells_per_dose = release.Int(0);
    p.fresh_shelf_life = absl::Seconds(release.Int(1));
  }
  ASSIGN_OR_RETURN(Statement code,
                   db_.Prepare("SELECT product_description_code FROM product_isbt_codes "
                               "WHERE product_code = ? AND version = ?"));
  code.Bind(1, p.product_code).Bind(2, p.version);
  ASSIGN_OR_RETURN(bool has_code, code.Step());
  p.isbt_product_description_code = has_code ? code.Text(0) : "";
  ASSIGN_OR_RETURN(Statement tests,
                   db_.Prepare("SELECT test_type, method, min_incubation_s FROM "
                               "product_required_tests WHERE product_code = ? AND version = ? "
                               "ORDER BY requirement"));
  tests.Bind(1, p.product_code).Bind(2, p.version);
  p.required_tests.clear();
  while (true) {
    ASSIGN_OR_RETURN(bool row, tests.Step());
    if (!row) break;
    p.required_tests.push_back({static_cast<domain::QcTestType>(tests.Int(0)), tests.Text(1),
                                absl::Seconds(tests.Int(2))});
  }
  RETURN_IF_ERROR(LoadReleaseBases(p));
  ASSIGN_OR_RETURN(Statement handling,
                   db_.Prepare("SELECT frozen_shelf_life_s, max_thaw_to_infusion_s, "
                               "max_entry_delay_s, min_transport_temperature_c, "
                               "max_transport_temperature_c FROM product_handling_specs "
                               "WHERE product_code = ? AND version = ?"));
  handling.Bind(1, p.product_code).Bind(2, p.version);
  ASSIGN_OR_RETURN(bool has_handling, handling.Step());
  if (has_handling) {
    p.frozen_shelf_life = absl::Seconds(handling.Int(0));
    p.max_thaw_to_infusion = absl::Seconds(handling.Int(1));
    p.max_entry_delay = absl::Seconds(handling.Int(2));
    p.min_transport_temperature_c = handling.Double(3);
    p.max_transport_temperature_c = handling.Double(4);
  }
  return absl::OkStatus();
}

absl::StatusOr<Product> Transaction::GetProduct(absl::string_view code, int version) {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare(absl::StrCat(
                                    "SELECT ", kProductColumns,
                                    " FROM products WHERE product_code = ? AND version = ?")));
  q.Bind(1, code).Bind(2, version);
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("product ", code, " version ", version, " is not defined"));
  }
  Product product = ProductFromRow(q);
  RETURN_IF_ERROR(LoadSpecification(product));
  return product;
}

absl::StatusOr<Product> Transaction::GetLatestProduct(absl::string_view code) {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare(absl::StrCat(
                                    "SELECT ", kProductColumns,
                                    " FROM products WHERE product_code = ? "
                                    "ORDER BY version DESC LIMIT 1")));
  q.Bind(1, code);
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("product_code: no product \"", code, "\" is defined (see `cpc product list`)"));
  }
  Product product = ProductFromRow(q);
  RETURN_IF_ERROR(LoadSpecification(product));
  return product;
}

absl::StatusOr<std::vector<Product>> Transaction::ListProducts() {
  ASSIGN_OR_RETURN(Statement q, db_.Prepare(absl::StrCat(
                                    "SELECT ", kProductColumns,
                                    " FROM products ORDER BY product_code, version")));
  std::vector<Product> products;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    products.push_back(ProductFromRow(q));
  }
  for (Product& p : products) RETURN_IF_ERROR(LoadSpecification(p));
  return products;
}

}  // namespace cpctrack::store
