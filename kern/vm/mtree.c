/*
 * The AVL tree of mtree.h. Each node keeps its height; after an insertion or a
 * removal below it, balance() restores |height(left) - height(right)| <= 1 with
 * one or two rotations, so the height stays under 1.45 log2(n + 2).
 */
#include "vm/mtree.h"
#include "vm/region.h"
#include <stddef.h>

static int height(const struct mapping *m)
{
	return m ? m->height : 0;
}

static void update(struct mapping *m)
{
	int l = height(m->left), r = height(m->right);
	m->height = 1 + (l > r ? l : r);
}

/* The left child becomes the root of this subtree. */
static struct mapping *rotate_right(struct mapping *m)
{
	struct mapping *l = m->left;
	m->left = l->right;
	l->right = m;
	update(m);
	update(l);
	return l;
}

static struct mapping *rotate_left(struct mapping *m)
{
	struct mapping *r = m->right;
	m->right = r->left;
	r->left = m;
	update(m);
	update(r);
	return r;
}

/* m's subtrees are balanced and differ in height by at most 2: rebalance m. */
static struct mapping *balance(struct mapping *m)
{
	update(m);
	int diff = height(m->left) - height(m->right);
	if (diff > 1) {
		if (height(m->left->left) < height(m->left->right))
			m->left = rotate_left(m->left);
		return rotate_right(m);
	}
	if (diff < -1) {
		if (height(m->right->right) < height(m->right->left))
			m->right = rotate_right(m->right);
		return rotate_left(m);
	}
	return m;
}

static struct mapping *insert(struct mapping *t, struct mapping *m)
{
	if (!t) {
		m->left = m->right = NULL;
		m->height = 1;
		return m;
	}
	if (m->start_va < t->start_va)
		t->left = insert(t->left, m);
	else
		t->right = insert(t->right, m);
	return balance(t);
}

/* Take the leftmost node of t out into *min; returns what is left of t. */
static struct mapping *take_min(struct mapping *t, struct mapping **min)
{
	if (!t->left) {
		*min = t;
		return t->right;
	}
	t->left = take_min(t->left, min);
	return balance(t);
}

static struct mapping *remove(struct mapping *t, struct mapping *m)
{
	if (!t)
		return NULL;
	if (m->start_va < t->start_va) {
		t->left = remove(t->left, m);
	} else if (m->start_va > t->start_va) {
		t->right = remove(t->right, m);
	} else {
		/* t is m (start addresses differ within a tree): its successor replaces it. */
		struct mapping *succ;
		if (!t->right)
			return t->left;
		t->right = take_min(t->right, &succ);
		succ->left = t->left;
		succ->right = t->right;
		t = succ;
	}
	return balance(t);
}

void mtree_insert(struct mapping **root, struct mapping *m)
{
	*root = insert(*root, m);
}

void mtree_remove(struct mapping **root, struct mapping *m)
{
	*root = remove(*root, m);
}

struct mapping *mtree_floor(struct mapping *t, uint32_t va)
{
	struct mapping *best = NULL;
	while (t) {
		if (t->start_va <= va) {
			best = t;
			t = t->right;
		} else {
			t = t->left;
		}
	}
	return best;
}
