// SPDX-License-Identifier: MIT
//
// tests/real/cxx_containers.cpp - a C++ program the way C++ programs use
// an allocator: standard containers growing and shrinking, strings,
// shared pointers, exceptions thrown through allocating frames, threads,
// over-aligned types, and operator new failing.
//
//   cxx_containers [SCALE]        (default 1)
//
// Every line it prints depends only on SCALE, so glibc's malloc and the
// ukmem front end must give byte-identical output.  The failure section
// checks the C++ rules for operator new: a request that cannot be met
// calls the installed new-handler again and again until the handler gives
// up (here: it uninstalls itself after three calls), then std::bad_alloc
// is thrown; the nothrow forms return nullptr; a handler may also throw
// std::bad_alloc itself.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

static unsigned long checksum(const std::string &s)
{
	unsigned long h = 1469598103934665603ul;
	for (unsigned char c : s)
		h = (h ^ c) * 1099511628211ul;
	return h;
}

struct Node {
	std::string name;
	std::vector<int> data;
	std::shared_ptr<Node> next;
};

static void containers(int scale)
{
	std::map<std::string, std::vector<int>> m;
	std::unordered_map<int, std::string> um;
	std::list<std::string> l;
	std::deque<long> dq;
	std::set<unsigned long> s;
	unsigned long acc = 0;

	for (int i = 0; i < 60000 * scale; i++) {
		std::string key = "key-" + std::to_string(i % 7919) + "-" + std::to_string(i);
		m[key.substr(0, 10)].push_back(i);
		um[i % 20011] = key + std::string(i % 64, 'x');
		if (i % 3 == 0)
			l.push_back(key);
		if (i % 5 == 0 && !l.empty())
			l.pop_front();
		dq.push_back(i);
		if (dq.size() > 1000)
			dq.pop_front();
		s.insert(checksum(key) % 100003);
	}
	for (auto &kv : m)
		acc += kv.first.size() * kv.second.size();
	for (auto &kv : um)
		acc += checksum(kv.second) % 1000;
	std::printf("containers: map %zu, unordered_map %zu, list %zu, deque %zu, set %zu, acc %lu\n",
		    m.size(), um.size(), l.size(), dq.size(), s.size(), acc);

	// A vector of vectors grown one element at a time, then shrunk.
	std::vector<std::vector<std::string>> vv(300);
	for (int i = 0; i < 40000 * scale; i++)
		vv[i % vv.size()].emplace_back(std::to_string(i * 37));
	size_t total = 0;
	for (auto &v : vv) {
		v.erase(v.begin(), v.begin() + v.size() / 2);
		v.shrink_to_fit();
		total += v.size();
	}
	std::sort(vv.begin(), vv.end(), [](const auto &a, const auto &b) { return a.back() < b.back(); });
	std::printf("vector of vectors: %zu strings kept, first ends with %s\n", total,
		    vv.front().back().c_str());

	// A linked chain of shared pointers, dropped all at once.
	std::shared_ptr<Node> head;
	for (int i = 0; i < 20000 * scale; i++) {
		auto n = std::make_shared<Node>();
		n->name = "node" + std::to_string(i);
		n->data.assign(i % 17, i);
		n->next = head;
		head = n;
	}
	long len = 0;
	for (auto p = head.get(); p; p = p->next.get())
		len += (long)p->data.size();
	// Unlink iteratively so that destruction does not recurse 20000 deep.
	while (head)
		head = std::move(head->next);
	std::printf("shared_ptr chain: %ld elements\n", len);

	std::ostringstream os;
	for (int i = 0; i < 20000 * scale; i++)
		os << i << (i % 10 ? ',' : '\n');
	std::printf("ostringstream: %zu bytes, checksum %lu\n", os.str().size(), checksum(os.str()));
}

// Exceptions: each throw allocates the exception object (and the string
// in it) with malloc, and unwinds frames that own heap memory.
static int depth_throw(int d, std::vector<std::unique_ptr<std::string>> &owned)
{
	auto mine = std::make_unique<std::string>(std::string(d * 3 + 1, 'e'));
	std::vector<int> local(d * 10 + 1, d);
	if (d == 0)
		throw std::runtime_error("bottom reached with " + *mine);
	if (d % 4 == 0)
		owned.push_back(std::make_unique<std::string>("kept" + std::to_string(d)));
	return depth_throw(d - 1, owned) + local[0];
}

static void exceptions(int scale)
{
	unsigned long caught = 0, bytes = 0, owned_total = 0;

	for (int i = 0; i < 3000 * scale; i++) {
		std::vector<std::unique_ptr<std::string>> owned;
		try {
			depth_throw(i % 24 + 1, owned);
		} catch (const std::runtime_error &e) {
			caught++;
			bytes += std::string(e.what()).size();
		}
		owned_total += owned.size();
	}
	std::printf("exceptions: %lu caught, %lu message bytes, %lu objects kept across unwinding\n",
		    caught, bytes, owned_total);
}

static void threads(int scale)
{
	std::atomic<unsigned long> sum{0};
	std::vector<std::thread> ts;
	// Each thread's strings are freed by the main thread (cross-thread frees).
	std::vector<std::vector<std::string *>> handoff(4);

	for (int t = 0; t < 4; t++)
		ts.emplace_back([t, scale, &sum, &handoff] {
			std::unordered_map<std::string, int> local;
			for (int i = 0; i < 30000 * scale; i++) {
				local[std::to_string(t) + ":" + std::to_string(i % 5000)] += i;
				if (i % 10 == 0)
					handoff[t].push_back(new std::string(100 + i % 900, char('a' + t)));
			}
			unsigned long s = 0;
			for (auto &kv : local)
				s += kv.second;
			sum += s;
		});
	for (auto &t : ts)
		t.join();
	unsigned long handed = 0;
	for (auto &v : handoff)
		for (auto *p : v) {
			handed += p->size();
			delete p;
		}
	std::printf("threads: sum %lu, %lu bytes freed by another thread\n", sum.load(), handed);
}

struct alignas(128) Wide {
	char bytes[200];
};

static void aligned(void)
{
	std::vector<Wide *> v;
	int misaligned = 0;

	for (int i = 0; i < 2000; i++) {
		v.push_back(new Wide);
		if ((uintptr_t)v.back() % 128)
			misaligned++;
	}
	Wide *arr = new Wide[33];
	if ((uintptr_t)arr % 128)
		misaligned++;
	delete[] arr;
	for (auto *p : v)
		delete p;
	std::vector<Wide> vec(100);
	if ((uintptr_t)vec.data() % 128)
		misaligned++;
	std::printf("over-aligned new: %d misaligned\n", misaligned);
}

static int handler_calls;

static void give_up_after_three(void)
{
	if (++handler_calls == 3)
		std::set_new_handler(nullptr);
}

static void throwing_handler(void)
{
	handler_calls++;
	throw std::bad_alloc();
}

static void failure(void)
{
	// volatile: the compiler must not reason about the size.
	volatile size_t huge = ~(size_t)0 >> 2;	// 4 EiB: no allocator can give it

	try {
		char *p = new char[huge];
		std::printf("new char[4 EiB] returned %p\n", (void *)p);
	} catch (const std::bad_alloc &) {
		std::printf("new char[4 EiB]: std::bad_alloc\n");
	}

	handler_calls = 0;
	std::set_new_handler(give_up_after_three);
	try {
		void *p = ::operator new(huge);
		std::printf("operator new returned %p\n", p);
	} catch (const std::bad_alloc &) {
		std::printf("operator new with a new_handler: %d handler calls, then std::bad_alloc\n",
			    handler_calls);
	}

	handler_calls = 0;
	std::set_new_handler(throwing_handler);
	try {
		void *p = ::operator new(huge, std::align_val_t(64));
		std::printf("aligned operator new returned %p\n", p);
	} catch (const std::bad_alloc &) {
		std::printf("aligned operator new, throwing handler: %d call, std::bad_alloc\n",
			    handler_calls);
	}
	std::set_new_handler(nullptr);

	char *q = new (std::nothrow) char[huge];
	std::printf("nothrow new char[4 EiB]: %s\n", q ? "non-null" : "nullptr");
	void *r = ::operator new(huge, std::align_val_t(256), std::nothrow);
	std::printf("nothrow aligned operator new: %s\n", r ? "non-null" : "nullptr");

	try {
		std::vector<int> v;
		v.reserve(v.max_size());
		std::printf("vector reserve(max_size) succeeded\n");
	} catch (const std::bad_alloc &) {
		std::printf("vector reserve(max_size): std::bad_alloc\n");
	} catch (const std::length_error &) {
		std::printf("vector reserve(max_size): std::length_error\n");
	}

	// After all that the heap still works.
	std::string after(1000, 'z');
	std::printf("after failures: a %zu-byte string\n", after.size());
}

int main(int argc, char **argv)
{
	int scale = argc > 1 ? std::atoi(argv[1]) : 1;

	if (scale < 1)
		scale = 1;
	containers(scale);
	exceptions(scale);
	threads(scale);
	aligned();
	failure();
	return 0;
}
