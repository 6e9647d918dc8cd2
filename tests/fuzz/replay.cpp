// Replays a fuzz harness's corpus without libFuzzer: every file of the directories (or the files)
// given on the command line goes through LLVMFuzzerTestOneInput once. The default build links
// each harness with this main, so the checked-in corpus runs as an ordinary unit test.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

bool replayFile(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", path.c_str());
        return false;
    }
    const std::vector<char> bytes{std::istreambuf_iterator<char>(in),
                                  std::istreambuf_iterator<char>()};
    // A copy of exactly the input's size, so that a read past its end is seen by the sanitizers.
    std::vector<uint8_t> input(bytes.begin(), bytes.end());
    LLVMFuzzerTestOneInput(input.data(), input.size());
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    int files = 0;
    bool ok = true;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path arg(argv[i]);
        if (!std::filesystem::is_directory(arg)) {
            ok = replayFile(arg) && ok;
            ++files;
            continue;
        }
        for (const auto &entry : std::filesystem::directory_iterator(arg)) {
            if (!entry.is_regular_file())
                continue;
            ok = replayFile(entry.path()) && ok;
            ++files;
        }
    }
    std::printf("replayed %d inputs\n", files);
    // An empty corpus is a mistake in the test's declaration, not a pass.
    return ok && files > 0 ? 0 : 1;
}
