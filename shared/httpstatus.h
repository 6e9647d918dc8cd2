#pragma once

namespace ferry {

// The reason phrase of an HTTP status code ("Not Found"); "OK" or "Error" for codes it does
// not name.
const char *httpReasonPhrase(int status);

} // namespace ferry
