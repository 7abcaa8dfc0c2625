// A small native program for heapscope's demo: a word index over generated documents, with
// the four things a heap profile is for. It builds a large index (the peak) and frees it,
// makes many short-lived strings in a hot loop (temporary allocations), keeps a cache that
// is never freed (the leak), and parses nested expressions recursively (recursion).
//
//   g++ -O1 -g -fno-omit-frame-pointer -o native_demo native_demo.cpp
//   heaptrack -o demo-native ./native_demo

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

struct Document
{
    int id;
    std::string text;
};

// Deterministic pseudo-random words.
std::string word(unsigned& seed)
{
    static const char* const syllables[] = {"ka", "lo", "mi", "ne", "ru", "sa", "to", "vi"};
    seed = seed * 1103515245u + 12345u;
    std::string w;
    for (unsigned n = 1 + (seed >> 16) % 3; n > 0; --n) {
        seed = seed * 1103515245u + 12345u;
        w += syllables[(seed >> 16) % 8];
    }
    return w;
}

std::vector<Document> makeDocuments(int count)
{
    std::vector<Document> docs;
    unsigned seed = 42;
    for (int i = 0; i < count; ++i) {
        Document d{i, {}};
        for (int k = 0; k < 60; ++k)
            d.text += word(seed) + ' ';
        docs.push_back(std::move(d));
    }
    return docs;
}

using Index = std::unordered_map<std::string, std::vector<int>>;

// The peak: every word's postings, dropped when the queries are done.
std::unique_ptr<Index> buildIndex(const std::vector<Document>& docs)
{
    auto index = std::make_unique<Index>();
    for (const Document& d : docs) {
        size_t start = 0;
        for (size_t end; (end = d.text.find(' ', start)) != std::string::npos; start = end + 1)
            (*index)[d.text.substr(start, end - start)].push_back(d.id);
    }
    return index;
}

// Temporary allocations: a key built and thrown away for every lookup.
size_t countHits(const Index& index, const std::vector<std::string>& queries)
{
    size_t hits = 0;
    for (int round = 0; round < 20; ++round)
        for (const std::string& q : queries) {
            const std::string request = "query:" + q + ":round-" + std::to_string(round);
            const auto it = index.find(request.substr(6, q.size()));
            hits += it == index.end() ? 0 : it->second.size();
        }
    return hits;
}

// The leak: results cached under a raw pointer nobody frees.
struct CachedResult
{
    std::string query;
    std::vector<int> ids;
};
std::map<std::string, CachedResult*>* g_cache = new std::map<std::string, CachedResult*>;

void remember(const Index& index, const std::string& query)
{
    const auto it = index.find(query);
    auto* r = new CachedResult{query, it == index.end() ? std::vector<int>() : it->second};
    (*g_cache)[query] = r;
}

// Recursion: nested "(a (b c) d)" expressions, one node per token.
struct Node
{
    std::string token;
    std::vector<std::unique_ptr<Node>> children;
};

std::unique_ptr<Node> parse(const std::string& s, size_t& at)
{
    auto node = std::make_unique<Node>();
    while (at < s.size()) {
        const char c = s[at++];
        if (c == '(')
            node->children.push_back(parse(s, at));
        else if (c == ')')
            break;
        else if (c != ' ')
            node->token += c;
    }
    return node;
}

std::string nested(int depth, unsigned& seed)
{
    if (depth == 0)
        return word(seed);
    return "(" + word(seed) + " " + nested(depth - 1, seed) + " " + nested(depth - 1, seed) + ")";
}

} // namespace

int main()
{
    const std::vector<Document> docs = makeDocuments(3000);
    std::vector<std::string> queries;
    unsigned seed = 7;
    for (int i = 0; i < 400; ++i)
        queries.push_back(word(seed));
    size_t hits = 0;
    {
        const std::unique_ptr<Index> index = buildIndex(docs);
        hits = countHits(*index, queries);
        for (int i = 0; i < 150; ++i)
            remember(*index, queries[size_t(i)]);
    }
    size_t nodes = 0;
    for (int i = 0; i < 40; ++i) {
        size_t at = 0;
        const std::string text = nested(9, seed);
        const auto tree = parse(text, at);
        nodes += tree->children.size();
    }
    std::printf("%zu hits, %zu cached, %zu nodes\n", hits, g_cache->size(), nodes);
    return 0;
}
