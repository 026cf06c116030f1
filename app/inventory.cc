#include "app/inventory.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "app/audit.h"
#include "app/signatures.h"
#include "domain/audit.h"
#include "domain/status_macros.h"

namespace cpctrack::app {
namespace {

std::string LotResource(absl::string_view lot_number) { return absl::StrCat("lots/", lot_number); }

std::string EquipmentResource(absl::string_view equipment_id) {
  return absl::StrCat("equipment/", equipment_id);
}

bool SameLimits(const std::vector<domain::MarkerLimit>& a,
                const std::vector<domain::MarkerLimit>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].marker != b[i].marker || a[i].min_percent != b[i].min_percent ||
        a[i].max_percent != b[i].max_percent) {
      return false;
    }
  }
  return true;
}

// The default product as shipped before IFATS/ISCT 2013 judged its identity
// by the ISCT 2006 bone-marrow criteria. Its next version follows IFATS/ISCT
// 2013; batches made under the old version keep it. A product whose markers
// someone has changed is theirs and left alone.
absl::Status AdoptAdscIdentity(store::Transaction& tx, const WriteContext& ctx) {
  const domain::Product shipped = domain::DefaultProduct();
  absl::StatusOr<domain::Product> latest = tx.GetLatestProduct(shipped.product_code);
  if (absl::IsNotFound(latest.status())) return absl::OkStatus();
  RETURN_IF_ERROR(latest.status());
  if (!SameLimits(latest->qc.markers, domain::IsctMarkerLimits())) return absl::OkStatus();
  domain::Product next = *latest;
  next.version = latest->version + 1;
  next.qc.markers = shipped.qc.markers;
  return ShipProduct(
      tx, ctx, next,
      "identity by IFATS/ISCT 2013 for adipose-derived stromal cells (Bourin et al., "
      "Cytotherapy 2013); batches made under earlier versions keep theirs");
}

// The ready-made fresh product, shipped once beside the default product (an
// existing database gets it at its first start after the upgrade).
absl::Status ShipFreshProduct(store::Transaction& tx, const WriteContext& ctx) {
  const domain::Product fresh = domain::FreshProduct();
  absl::StatusOr<domain::Product> latest = tx.GetLatestProduct(fresh.product_code);
  if (latest.ok()) return absl::OkStatus();
  if (!absl::IsNotFound(latest.status())) return latest.status();
  return ShipProduct(
      tx, ctx, fresh,
      "fresh product shipped with cpctrack: released on rapid and in-process results, the "
      "final sterility culture followed after release");
}

absl::StatusOr<LotDecisionOutcome> DecideLot(store::Transaction& tx, const WriteContext& ctx,
                                             domain::LotDecision decision) {
  decision.decided_at = ctx.now;
  decision.decided_by = ctx.user;
  ASSIGN_OR_RETURN(domain::ReagentLot before, tx.GetReagentLot(decision.lot_number));
  ASSIGN_OR_RETURN(domain::ReagentLot after, domain::DecideLot(before, decision));
  RETURN_IF_ERROR(tx.InsertLotDecision(decision));
  const bool accepted = decision.status == domain::LotStatus::kAccepted;
  const std::string resource = LotResource(before.lot_number);
  RETURN_IF_ERROR(AppendAudit(
      tx, ctx.now, ctx.user,
      accepted ? domain::AuditAction::kLotAccept : domain::AuditAction::kLotReject, resource,
      domain::ToJson(before), domain::ToJson(after),
      accepted ? decision.certificate : decision.reason, ctx.request_id));
  // Signed: the lot as it stands after the decision.
  ASSIGN_OR_RETURN(domain::Signature signature,
                   RecordSignature(tx, ctx,
                                   accepted ? domain::SignatureMeaning::kMaterialAccepted
                                            : domain::SignatureMeaning::kMaterialRejected,
                                   resource, domain::ToJson(after)));
  return LotDecisionOutcome{std::move(after), std::move(signature)};
}

}  // namespace

absl::Status ShipProduct(store::Transaction& tx, const WriteContext& ctx,
                         const domain::Product& product, absl::string_view reason) {
  RETURN_IF_ERROR(tx.InsertProduct(product, ctx.now));
  const std::string value =
      domain::JsonObject()
          .Add("product_code", product.product_code)
          .Add("version", product.version)
          .Add("name", product.name)
          .Add("max_processing_delay_hours", absl::ToDoubleHours(product.max_processing_delay))
          .Add("max_passage", product.max_passage)
          .Add("max_cumulative_population_doublings",
               product.max_cumulative_population_doublings)
          .Add("markers", domain::DescribeMarkerLimits(product.qc.markers))
          .Build();
  return AppendAudit(
      tx, ctx.now, ctx.user, domain::AuditAction::kProductCreate,
      absl::StrFormat("products/%s/versions/%d", product.product_code, product.version), "",
      value, reason, ctx.request_id);
}

absl::Status SeedDefaultProducts(store::Transaction& tx, const WriteContext& ctx) {
  ASSIGN_OR_RETURN(std::vector<domain::Product> products, tx.ListProducts());
  if (!products.empty()) {
    RETURN_IF_ERROR(AdoptAdscIdentity(tx, ctx));
  } else {
    RETURN_IF_ERROR(
        ShipProduct(tx, ctx, domain::DefaultProduct(), "default product shipped with cpctrack"));
  }
  return ShipFreshProduct(tx, ctx);
}

absl::StatusOr<domain::Product> CreateProduct(
    store::Transaction& tx, const WriteContext& ctx, absl::string_view product_code,
    absl::FunctionRef<absl::StatusOr<domain::Product>(const domain::Product& base)> revise,
    absl::FunctionRef<std::string(const domain::Product&)> describe) {
  absl::StatusOr<domain::Product> latest = tx.GetLatestProduct(product_code);
  if (!latest.ok() && !absl::IsNotFound(latest.status())) return latest.status();
  const domain::Product base = latest.ok() ? *latest : domain::DefaultProduct();
  const int version = latest.ok() ? latest->version + 1 : 1;
  ASSIGN_OR_RETURN(domain::Product product, revise(base));
  product.version = version;
  RETURN_IF_ERROR(domain::ValidateProduct(product));
  RETURN_IF_ERROR(tx.InsertProduct(product, ctx.now));
  RETURN_IF_ERROR(
      AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kProductCreate,
                  absl::StrCat("products/", product.product_code, "/versions/", version),
                  latest.ok() ? absl::StrCat("version ", latest->version) : "",
                  describe(product), "", ctx.request_id));
  return product;
}

absl::StatusOr<domain::ReagentLot> CreateReagentLot(store::Transaction& tx,
                                                    const WriteContext& ctx,
                                                    domain::ReagentLot lot) {
  RETURN_IF_ERROR(domain::ValidateReagentLot(lot));
  lot.created_at = ctx.now;
  lot.created_by = ctx.user;
  RETURN_IF_ERROR(tx.InsertReagentLot(lot));
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kLotCreate,
                              LotResource(lot.lot_number), "", domain::ToJson(lot), "",
                              ctx.request_id));
  return lot;
}

absl::StatusOr<LotDecisionOutcome> AcceptReagentLot(store::Transaction& tx,
                                                    const WriteContext& ctx,
                                                    absl::string_view lot_number,
                                                    absl::string_view certificate) {
  domain::LotDecision decision;
  decision.lot_number = std::string(lot_number);
  decision.status = domain::LotStatus::kAccepted;
  decision.certificate = std::string(certificate);
  return DecideLot(tx, ctx, std::move(decision));
}

absl::StatusOr<LotDecisionOutcome> RejectReagentLot(store::Transaction& tx,
                                                    const WriteContext& ctx,
                                                    absl::string_view lot_number,
                                                    absl::string_view reason) {
  domain::LotDecision decision;
  decision.lot_number = std::string(lot_number);
  decision.status = domain::LotStatus::kRejected;
  decision.reason = std::string(reason);
  return DecideLot(tx, ctx, std::move(decision));
}

absl::StatusOr<domain::Equipment> CreateEquipment(store::Transaction& tx,
                                                  const WriteContext& ctx,
                                                  domain::Equipment equipment) {
  RETURN_IF_ERROR(domain::ValidateEquipment(equipment));
  equipment.created_at = ctx.now;
  equipment.created_by = ctx.user;
  // From now on, a kind that needs calibration is used only once calibrated.
  equipment.calibration_required = domain::NeedsCalibration(equipment.kind);
  RETURN_IF_ERROR(tx.InsertEquipment(equipment));
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kEquipmentCreate,
                              EquipmentResource(equipment.equipment_id), "",
                              domain::ToJson(equipment), "", ctx.request_id));
  return equipment;
}

absl::StatusOr<domain::Equipment> SetEquipmentStatus(store::Transaction& tx,
                                                     const WriteContext& ctx,
                                                     absl::string_view equipment_id,
                                                     domain::EquipmentStatus status,
                                                     absl::string_view reason) {
  RETURN_IF_ERROR(domain::ValidateStatusChange(status, reason));
  ASSIGN_OR_RETURN(domain::Equipment before, tx.GetEquipment(equipment_id));
  RETURN_IF_ERROR(
      tx.InsertEquipmentStatus(before.equipment_id, status, reason, ctx.now, ctx.user));
  domain::Equipment after = before;
  after.status = status;
  after.status_reason = std::string(reason);
  RETURN_IF_ERROR(AppendAudit(tx, ctx.now, ctx.user, domain::AuditAction::kEquipmentSetStatus,
                              EquipmentResource(before.equipment_id), domain::ToJson(before),
                              domain::ToJson(after), reason, ctx.request_id));
  return after;
}

absl::StatusOr<UpkeepOutcome> RecordEquipmentUpkeep(store::Transaction& tx,
                                                    const WriteContext& ctx,
                                                    const NewUpkeep& upkeep) {
  domain::UpkeepRecord record;
  record.equipment_id = upkeep.equipment_id;
  record.kind = upkeep.kind;
  record.performed_at = upkeep.performed_at.value_or(ctx.now);
  record.next_due = upkeep.next_due;
  record.certificate = upkeep.certificate;
  record.recorded_at = ctx.now;
  record.recorded_by = ctx.user;
  RETURN_IF_ERROR(domain::ValidateUpkeepRecord(record, ctx.now, ctx.zone));
  ASSIGN_OR_RETURN(domain::Equipment before, tx.GetEquipment(record.equipment_id));
  RETURN_IF_ERROR(tx.InsertUpkeepRecord(record));
  // Reloaded: a record performed before the latest of its kind does not move
  // the due date back.
  ASSIGN_OR_RETURN(domain::Equipment after, tx.GetEquipment(record.equipment_id));
  RETURN_IF_ERROR(AppendAudit(
      tx, ctx.now, ctx.user,
      record.kind == domain::UpkeepKind::kCalibration ? domain::AuditAction::kEquipmentCalibrate
                                                      : domain::AuditAction::kEquipmentMaintain,
      absl::StrCat(EquipmentResource(record.equipment_id), "/upkeep/", record.record_id),
      domain::ToJson(before), domain::ToJson(record), "", ctx.request_id));
  return UpkeepOutcome{std::move(record), std::move(after)};
}

}  // namespace cpctrack::app
