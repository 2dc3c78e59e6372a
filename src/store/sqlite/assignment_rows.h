// Reading assignment rows, shared by the training, portal and training-mail
// adapters: the column list read_assignment expects (optionally prefixed
// for joins), and cancelling an assignment's queued emails. Thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/assignment.h"
#include "store/row_readers.h"
#include "store/sqlite/connection.h"

namespace phishdrill::sqlite {

// Columns of `assignments` in read_assignment's order, prefixed "prefix." when given.
std::string assignment_columns(std::string_view prefix = {});
// Reads an assignment from the row's columns starting at `first`.
using rows::read_assignment;
// Cancels the assignment's queued emails (and the one being sent).
void cancel_queued_mail(Connection& db, std::int64_t assignment_id);

}  // namespace phishdrill::sqlite
