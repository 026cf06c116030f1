#include "client/rpc_methods.h"

#include <gtest/gtest.h>

#include "cpctrack/v1/batches.pb.h"
#include "cpctrack/v1/inventory.pb.h"
#include "cpctrack/v1/patients.pb.h"
#include "cpctrack/v1/treatment.pb.h"

namespace cpc {
namespace {

namespace pb = ::google::protobuf;
namespace v1 = ::cpctrack::v1;

TEST(FullMethodNameTest, NamesTheMethodByItsTypes) {
  EXPECT_EQ(*FullMethodName(*v1::RecordPassageRequest::descriptor(),
                            *v1::RecordResponse::descriptor()),
            "/cpctrack.v1.BatchService/RecordPassage");
  EXPECT_EQ(*FullMethodName(*v1::UpdatePatientRequest::descriptor(),
                            *v1::Patient::descriptor()),
            "/cpctrack.v1.PatientService/UpdatePatient");
  EXPECT_FALSE(
      FullMethodName(*v1::Patient::descriptor(), *v1::Patient::descriptor()).ok());
}

// Connection::Call finds a write's method from its types; that needs every
// write request type to belong to exactly one method of the API.
TEST(FullMethodNameTest, EveryWriteOfTheApiIsFoundByItsTypes) {
  int writes = 0;
  for (const pb::FileDescriptor* file :
       {v1::Batch::descriptor()->file(), v1::Patient::descriptor()->file(),
        v1::ListEquipmentRequest::descriptor()->file(),
        v1::TreatmentPlan::descriptor()->file()}) {
    for (int s = 0; s < file->service_count(); ++s) {
      for (int m = 0; m < file->service(s)->method_count(); ++m) {
        const pb::MethodDescriptor& method = *file->service(s)->method(m);
        if (method.input_type()->FindFieldByName("request_id") == nullptr) continue;
        ++writes;
        absl::StatusOr<std::string> name =
            FullMethodName(*method.input_type(), *method.output_type());
        ASSERT_TRUE(name.ok()) << method.full_name() << ": " << name.status();
        EXPECT_EQ(*FindMethod(*name), &method);
      }
    }
  }
  EXPECT_GE(writes, 16);
}

TEST(FindMethodTest, UnknownOrMalformedNamesAreNotFound) {
  EXPECT_TRUE(absl::IsNotFound(FindMethod("/cpctrack.v1.BatchService/Explode").status()));
  EXPECT_TRUE(absl::IsNotFound(FindMethod("cpctrack.v1.BatchService.GetBatch").status()));
  EXPECT_TRUE(absl::IsNotFound(FindMethod("/GetBatch").status()));
}

}  // namespace
}  // namespace cpc
